import os

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def pii_keys_configured(app_configs: object, **kwargs: object) -> list[Error]:
    """Production keeps its personal-data keys in the environment, not in the data directory."""
    if not settings.PRODUCTION:
        return []
    missing = [
        name for name in ("QIHUB_PII_KEYS", "QIHUB_PII_INDEX_KEY") if not os.environ.get(name)
    ]
    return [
        Error(f"{name} 未设置：生产环境须提供个人信息加密密钥", id="qihub.E001") for name in missing
    ]
