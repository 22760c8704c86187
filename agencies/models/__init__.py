from .agency import Agency
from .divisions import Commune, MailDomain, Province
from .mailbox import Mailbox, Official

__all__ = ["Agency", "Commune", "MailDomain", "Mailbox", "Official", "Province"]
