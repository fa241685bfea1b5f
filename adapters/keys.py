"""The installation's safety-log key: an Ed25519 private key in a file outside the database.

Where: BEDSIDE_LOG_KEY when the site sets it (a key kept on another volume, or one key shared by the
workstations of one installation), otherwise `keys/safety-log.key` in the data dir (the caller
passes it in: this module sits below the database package). The directory is made 0700 and the key
file 0600 before a byte of the key is in it. A writer creates the key on first
use (`installation_signer`); a reader (`installation_public_key`) never does: the verifier must not
make a key to check a log with.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from bedside_adapters.private_files import PRIVATE_DIR, PRIVATE_FILE, make_private_dir, restrict
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from bedside.i18n import _
from bedside.log_signing import Signer, new_signer

KEY_ENV = "BEDSIDE_LOG_KEY"


class KeyFileError(RuntimeError):
    """The key file is there but is not an Ed25519 private key (a site's mistake, or tampering)."""


def key_path(data: Path) -> Path:
    override = os.environ.get(KEY_ENV)
    return Path(override).expanduser() if override else data / "keys" / "safety-log.key"


_lock = threading.Lock()
_signers: dict[Path, Signer] = {}


def installation_signer(data: Path) -> Signer:
    """The key that signs this process's entries, created (0600) when the installation has none.
    Read once per path and process."""
    path = key_path(data)
    with _lock:
        signer = _signers.get(path)
        if signer is None:
            private_installation(data)
            signer = _load_to_sign(path) if path.exists() else _create(path)
            _signers[path] = signer
        return signer


def private_installation(data: Path) -> None:
    """The data dir and its keys/ 0700, whatever database the process was pointed at and whether it
    writes or only reads (an older version, or a copy made by hand, may have left them 0755). A key
    the site keeps elsewhere leaves its folder as the site set it; a folder another account owns is
    left too."""
    restrict(data, PRIVATE_DIR)
    if os.environ.get(KEY_ENV) is None:
        restrict(key_path(data).parent, PRIVATE_DIR)


def installation_public_key(data: Path) -> tuple[str, str] | None:
    """(fingerprint, public key hex) of the installation's key, or None when this machine has none.
    Changes no byte: only the permissions of the folders and the key file, as `private_installation`."""
    private_installation(data)
    path = key_path(data)
    if not path.exists():
        return None
    signer = _load(path)
    return signer.key_id, signer.public_hex


def _load(path: Path) -> Signer:
    restrict(path, PRIVATE_FILE)
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(_("{path} is not an Ed25519 private key").format(path=path))
    return Signer(key)


def _load_to_sign(path: Path) -> Signer:
    """The key to sign with, refused when others may read it still (a file of another account's,
    which this one cannot tighten): whoever reads a signing key can sign as this installation. The
    verifier reads only its public half (`installation_public_key`), so it may still read such a file."""
    signer = _load(path)
    st = path.stat()
    if stat.S_IMODE(st.st_mode) & 0o044:
        owner = (
            _("another account's") if st.st_uid != os.geteuid() else _("on a file system that keeps its mode")
        )
        raise KeyFileError(
            _(
                "the safety-log signing key {path} has mode {mode} and is {owner} (uid {uid}): others "
                "may read it and sign as this installation, so nothing is signed with it; its owner "
                "must make it 0600, or give this account a key of its own"
            ).format(path=path, mode=f"{stat.S_IMODE(st.st_mode):04o}", owner=owner, uid=st.st_uid)
        )
    return signer


def _create(path: Path) -> Signer:
    make_private_dir(path.parent)
    signer = new_signer()
    pem = signer.private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    # Written whole under a temporary name, then linked into place: another process creating the key
    # at the same moment either wins (and this one reads its key) or loses; nobody reads half a key.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _load_to_sign(path)
    finally:
        tmp.unlink(missing_ok=True)
    return signer
