from django.urls import path

from judgements import (
    case_views,
    combination_views,
    comparison_views,
    findings_views,
    profile_views,
    scoring_views,
    views,
)

CASE = "inspections/<slug:slug>/cases/<str:case_ref>/"

urlpatterns = [
    path("my-cases/", case_views.my_cases, name="my-cases"),
    path("inspections/<slug:slug>/cases/", case_views.case_list, name="case-list"),
    path(CASE, case_views.case_detail, name="case-detail"),
    path(f"{CASE}history/", case_views.case_history, name="case-history"),
    path(f"{CASE}details/", scoring_views.case_descriptors, name="case-descriptors"),
    path(f"{CASE}sections/<slug:section>/", scoring_views.case_section, name="case-section"),
    path(f"{CASE}answers/", scoring_views.answer_autosave, name="answer-autosave"),
    path(f"{CASE}check/", scoring_views.case_check, name="case-check"),
    path(f"{CASE}review/", case_views.case_review, name="case-review"),
    path("inspections/<slug:slug>/answers.csv", views.answers_csv_download, name="answers-csv"),
    path("inspections/<slug:slug>/answers.xlsx", views.answers_xlsx_download, name="answers-xlsx"),
    path(
        "inspections/<slug:slug>/framework.json",
        views.framework_json_download,
        name="framework-json",
    ),
    path(
        "inspections/<slug:slug>/findings.json",
        views.findings_json_download,
        name="findings-json",
    ),
    path("inspections/<slug:slug>/findings.csv", views.findings_csv_download, name="findings-csv"),
    path(
        "inspections/<slug:slug>/findings.xlsx",
        views.findings_xlsx_download,
        name="findings-xlsx",
    ),
    path(
        "inspections/<slug:slug>/sample-profile/",
        profile_views.sample_profile_page,
        name="sample-profile",
    ),
    path(
        "inspections/<slug:slug>/sample-profile/caseload/<slug:descriptor>/",
        profile_views.caseload_proportions_edit,
        name="caseload-proportions",
    ),
    # The findings pages (judgements/findings_views.py).
    path("findings/", findings_views.findings_national, name="findings-national"),
    path("inspections/<slug:slug>/findings/", findings_views.findings_overview, name="findings"),
    path(
        "inspections/<slug:slug>/findings/questions/<str:question>/",
        findings_views.finding_cases_page,
        name="finding-cases",
    ),
    # The combinations the lead names (judgements/combination_views.py).
    path(
        "inspections/<slug:slug>/findings/combinations/",
        combination_views.combinations_page,
        name="combinations",
    ),
    path(
        "inspections/<slug:slug>/findings/combinations/add/",
        combination_views.combination_edit,
        name="combination-add",
    ),
    path(
        "inspections/<slug:slug>/findings/combinations/<slug:code>/",
        combination_views.combination_cases_page,
        name="combination-cases",
    ),
    path(
        "inspections/<slug:slug>/findings/combinations/<slug:code>/change/",
        combination_views.combination_edit,
        name="combination-change",
    ),
    path(
        "inspections/<slug:slug>/findings/combinations/<slug:code>/remove/",
        combination_views.combination_delete_page,
        name="combination-remove",
    ),
    path(
        "inspections/<slug:slug>/findings/<slug:domain>/by/<slug:descriptor>/",
        findings_views.findings_by_descriptor,
        name="findings-by-descriptor",
    ),
    path(
        "inspections/<slug:slug>/findings/<slug:domain>/",
        findings_views.findings_domain,
        name="findings-domain",
    ),
    # A domain's findings beside the national figure (judgements/comparison_views.py).
    path(
        "inspections/<slug:slug>/findings/<slug:domain>/compare/",
        comparison_views.findings_compare,
        name="findings-compare",
    ),
]
