"""The forum's settings, organisations, demo users (one password for all) and categories."""

from __future__ import annotations

from sqlalchemy import select

from lagesbild import municipalities
from lagesbild.auth import passwords
from lagesbild.demo.forum import DEMO_PASSWORD, DemoSummary, Forum
from lagesbild.models import Category, CategoryGroup, Organisation, User
from lagesbild.reference import (
    FORUM_NAME_KEY,
    MUNICIPALITY_CODE_KEY,
    MUNICIPALITY_KEY,
    seed_default_categories,
    set_setting,
)


def add_settings(forum: Forum) -> None:
    spec, s = forum.spec, forum.session
    set_setting(s, FORUM_NAME_KEY, spec["forum_name"])
    set_setting(s, MUNICIPALITY_KEY, spec["municipality"])
    set_setting(s, MUNICIPALITY_CODE_KEY, municipalities.resolve(spec["municipality"]).code)


def add_organisations_and_users(forum: Forum, summary: DemoSummary) -> None:
    s = forum.session
    for o in forum.spec["organisations"]:
        org = Organisation(name=o["name"], short_name=o["short_name"], kind=o["kind"])
        s.add(org)
        forum.orgs[o["key"]] = org
    s.flush()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    for u in forum.spec["users"]:
        user = User(
            username=u["username"],
            display_name=u["display_name"],
            organisation_id=forum.orgs[u["org"]].id,
            role=u["role"],
            password_hash=password_hash,
            email=f"{u['username']}@example.se",
        )
        s.add(user)
        forum.users[u["org"] if u["role"] == "medlem" else u["username"]] = user
        summary.logins.append((u["username"], u["role"], forum.orgs[u["org"]].short_name))


def add_categories(forum: Forum) -> None:
    """The default EST categories."""
    seed_default_categories(forum.session)


def load_categories(forum: Forum) -> None:
    """The categories in display order, for the pieces that draw from them."""
    forum.categories = list(
        forum.session.scalars(
            select(Category)
            .join(CategoryGroup)
            .order_by(CategoryGroup.sort_order, Category.sort_order)
        )
    )
    forum.cat_by_name = {c.name: c for c in forum.categories}
    forum.cat_group = {c.id: c.group.name for c in forum.categories}
