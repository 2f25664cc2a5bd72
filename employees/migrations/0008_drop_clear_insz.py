"""The INSZ at rest, step 3 of 3: drop the clear INSZ; the digest becomes the unique key.

- The clear column goes from persons, their history and the access log. 0006
  made it nullable and not unique, so that going back re-adds it empty, 0007
  backwards fills it, and only then (0006 backwards) the old rules return.
- `employees_employee_insz_digest_unique`: the digest is unique (NULLs
  excepted: anonymised persons have neither column); its index serves every
  exact look-up, duplicate check and import match (one B-tree probe instead
  of decrypting every row). A UniqueConstraint rather than unique=True: on
  PostgreSQL unique=True adds a second, varchar_pattern_ops index for LIKE,
  which a digest never meets, and every insert would pay for it.
- `employees_access_digest_idx`: the access log's look-ups searched by INSZ (an
  administrator asking who looked up a number) is one index probe.
- The history table's digest gets no index: nothing reads history by INSZ,
  and a million imported persons write a million history rows.
- A check that both columns are filled, with a digest of 64 hex characters, or
  both empty.
- PostgreSQL: the trigram index of 0004 covered first name, last name and INSZ;
  it is made again on the names only (which the free-text search still reads
  with icontains) before the column goes.
"""

from django.db import migrations, models

INDEX = "employees_employee_search_trgm"
# isnull=False beside the regex: a NULL digest would make the regex NULL, which a CHECK lets through.
DIGEST_CHECK = models.Q(insz_digest__isnull=True, insz_encrypted__isnull=True) | models.Q(
    insz_digest__isnull=False, insz_digest__regex="^[0-9a-f]{64}$", insz_encrypted__isnull=False
)


def names_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON employees_employee USING gin "
        "(UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops)"
    )


def names_index_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON employees_employee USING gin "
        "(UPPER(first_name::text) gin_trgm_ops, UPPER(last_name::text) gin_trgm_ops, UPPER(insz::text) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("employees", "0007_encrypt_insz")]

    operations = [
        # First, so that backwards it runs last, when the clear column is back.
        migrations.RunPython(names_index, names_index_backwards, elidable=False),
        migrations.RemoveField(model_name="employee", name="insz"),
        migrations.RemoveField(model_name="historicalemployee", name="insz"),
        migrations.RemoveField(model_name="accessevent", name="insz"),
        migrations.AddConstraint(
            model_name="employee",
            constraint=models.CheckConstraint(
                condition=DIGEST_CHECK,
                name="employees_employee_insz_digest_hex",
                violation_error_message="The stored INSZ number is damaged.",
            ),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.CheckConstraint(condition=DIGEST_CHECK, name="employees_accessevent_insz_digest_hex"),
        ),
        migrations.AddConstraint(
            model_name="employee",
            constraint=models.UniqueConstraint(fields=["insz_digest"], name="employees_employee_insz_digest_unique"),
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(fields=["insz_digest"], name="employees_access_digest_idx"),
        ),
    ]
