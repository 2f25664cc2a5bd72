"""Records that hold an INSZ number: stored encrypted and found through its keyed hash (docs/security.md 3.2)."""

from common.crypto import decrypt_insz, encrypt_insz, insz_digest
from common.history import HistoryQuerySet
from common.validators import normalise_insz

# A digest is HMAC-SHA256 in lower-case hex: exactly 64 characters.
DIGEST_REGEX = r"^[0-9a-f]{64}$"


class INSZMixin:
    """The clear INSZ of a record that stores it encrypted (`insz_encrypted`) and hashed (`insz_digest`).

    `record.insz` reads the clear number (decrypted once, then remembered) and
    `record.insz = "85.07.30-033.28"` normalises it, encrypts it and computes
    its digest; `record.insz = ""` clears both columns (anonymisation).
    Model(insz=...) and objects.create(insz=...) go through the setter too.
    Queries never see the clear number: use `objects.with_insz(number)`.
    """

    @property
    def insz(self) -> str:
        cached = self.__dict__.get("_insz_clear")
        token = self.insz_encrypted  # loads it when the query deferred it
        if cached is not None and cached[0] == token:
            return cached[1]
        number = decrypt_insz(token)
        self.__dict__["_insz_clear"] = (token, number)
        return number

    @insz.setter
    def insz(self, value):
        self.set_insz(value)

    def set_insz(self, value, digest: str | None = None, token: str | None = None):
        """What `record.insz = value` does; `digest` and `token`, when given, are the number's digest and
        a token of it made already (an import makes them for a chunk of rows at once)."""
        number = normalise_insz(value) if value else ""
        if not number:
            self.insz_encrypted = None
            self.insz_digest = None
        else:
            digest = digest or insz_digest(number)
            # The same number again keeps its token: a save must not record a change that is none.
            if digest != self.insz_digest or not self.insz_encrypted:
                self.insz_encrypted = token or encrypt_insz(number)
                self.insz_digest = digest
        self.__dict__["_insz_clear"] = (self.insz_encrypted, number)


class INSZQuerySet(HistoryQuerySet):
    """Exact look-ups by INSZ go through its keyed hash: the clear number is in no column."""

    def with_insz(self, value: str):
        """The records with this INSZ (typed with or without dots, dashes and spaces)."""
        number = normalise_insz(value)
        return self.filter(insz_digest=insz_digest(number)) if number else self.none()
