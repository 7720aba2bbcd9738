from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = "Inspections"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from inspection import checks  # noqa: F401  (registers the system checks)
        from inspection.middleware import password_state_remember

        user_logged_in.connect(password_state_remember, dispatch_uid="password_state_remember")
