"""Owners for import mappings and events: the organisation whose they are

Revision ID: 0005
Revises: 0004

Existing rows get the organisation of the user who created them, as the audit log (mappings)
or the row itself (events) tells; without one a mapping is the admins' and an event the
chairs'. The columns are added in place (ALTER TABLE ADD COLUMN) on both databases: no table
is rebuilt, so nothing that refers to these tables is touched.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OWNED = ("import_mapping", "event")


def _fk(table: str) -> str:
    return f"fk_{table}_owner_org_id_organisation"


def upgrade() -> None:
    bind = op.get_bind()
    for table in OWNED:
        if bind.dialect.name == "sqlite":
            # SQLite adds a column with a reference in place; batch mode would copy the table.
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN owner_org_id INTEGER "
                f"CONSTRAINT {_fk(table)} REFERENCES organisation (id)"
            )
        else:
            op.add_column(table, sa.Column("owner_org_id", sa.Integer(), nullable=True))
            op.create_foreign_key(_fk(table), table, "organisation", ["owner_org_id"], ["id"])
    op.execute(
        "UPDATE import_mapping SET owner_org_id = ("
        " SELECT u.organisation_id FROM audit_log a JOIN app_user u ON u.id = a.user_id"
        " WHERE a.entity = 'import_mapping' AND a.entity_id = import_mapping.source"
        " ORDER BY a.at, a.id LIMIT 1)"
    )
    op.execute(
        "UPDATE event SET owner_org_id = ("
        " SELECT u.organisation_id FROM app_user u WHERE u.id = event.created_by_id)"
    )


def downgrade() -> None:
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            if op.get_bind().dialect.name != "sqlite":
                batch.drop_constraint(_fk(table), type_="foreignkey")
            batch.drop_column("owner_org_id")
