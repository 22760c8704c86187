from .agency import Agency
from .divisions import Commune, MailDomain, Province
from .mailbox import Mailbox, Official
from .requests import MailboxRequest
from .roles import Role

__all__ = [
    "Agency",
    "Commune",
    "MailDomain",
    "Mailbox",
    "MailboxRequest",
    "Official",
    "Province",
    "Role",
]
