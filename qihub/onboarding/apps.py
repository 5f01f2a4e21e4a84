from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "qihub.onboarding"
    label = "onboarding"
    verbose_name = "注册与入驻审核"
