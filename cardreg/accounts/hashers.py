from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's minimum parameters: t=2, m=19 MiB, p=1.

    Django's defaults (m=100 MiB, p=8) cost ~116 ms a hash on our 2-core servers, ~9 logins/s for
    the whole machine; these cost ~17 ms and still meet OWASP's password-storage guidance.
    Hashes carry their parameters, so raising them later re-hashes at the next login.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
