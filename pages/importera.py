"""Import: bring an organisation's own file of incidents – CSV, Excel or the police's events."""

import hashlib

import pandas as pd
import streamlit as st

from lagesbild import fmt
from lagesbild.errors import UserError, ValidationError
from lagesbild.fmt import md_escape
from lagesbild.importers import polisen
from lagesbild.importers.mapping import FIELDS, POLICE_UK, Mapping, suggest
from lagesbild.importers.reading import ImportFileError
from lagesbild.services import imports
from lagesbild.ui import context, data, forms, write

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
P = "imp_"
NEW = "__ny__"
NONE = "(ingen)"
SKIP = "Hoppa över (importeras inte)"

st.title("Import")
st.caption(
    "Importera händelser från en fil: CSV eller Excel med en kolumnmappning som sparas "
    "per källa, eller polisens händelser. Importen sparar allt eller inget; samma fil "
    "kan importeras igen utan dubbletter."
)
done = st.session_state.pop("lb_import_done", None)
if done:
    st.success(md_escape(done), icon=":material/check_circle:")

saved_sources = write.read(ctx, imports.sources)
options = [polisen.SOURCE, POLICE_UK, *saved_sources, NEW]
left, right = st.columns(2)
choice = left.selectbox(
    "Källa",
    options,
    key=f"{P}source",
    format_func=lambda s: imports.BUILT_IN.get(s) or ("Ny källa …" if s == NEW else s),
)
source = choice
if choice == NEW:
    source = right.text_input(
        "Namn på den nya källan",
        key=f"{P}new_source",
        placeholder="T.ex. Vellingebostäder felanmälan",
    ).strip()
with right if choice != NEW else left:
    org_id = forms.organisation_picker(P, lookups, actor)

upload = st.file_uploader(
    "Fil (CSV, Excel eller JSON, högst 100 MB)", type=["csv", "txt", "xlsx", "json"], key=f"{P}file"
)
if upload is None:
    st.info("Välj källa och ladda upp en fil.", icon=":material/upload_file:")
    st.stop()
if choice == NEW and not source:
    st.warning("Ge den nya källan ett namn: kolumnmappningen sparas under det namnet.")
    st.stop()

content = upload.getvalue()
file_key = hashlib.sha1(content + source.encode()).hexdigest()
cached = st.session_state.get(f"{P}table")
if cached and cached[0] == file_key:  # a big file is read once, not on every click
    _, table, mapping, pre_skipped = cached
else:
    try:
        table, mapping, pre_skipped = write.read(
            ctx, imports.read_file, content, upload.name, source
        )
    except ImportFileError as exc:
        st.error(md_escape(exc), icon=":material/error:")
        st.stop()
    st.session_state[f"{P}table"] = (file_key, table, mapping, pre_skipped)


details = [f"{fmt.integer(len(table.rows))} rader", table.file_format.upper()]
if table.encoding:
    details.append(
        {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(
            table.encoding, table.encoding
        )
    )
if table.delimiter:
    details.append({";": "semikolon", ",": "komma", "\t": "tabb"}[table.delimiter])
st.caption("Filen: " + " · ".join(details))
for note in table.notes:
    st.caption(md_escape(note))
with st.expander("Förhandsgranskning (de första 10 raderna)", expanded=True):
    st.dataframe(table.rows.head(10), hide_index=True, width="stretch")

built_in = source in imports.BUILT_IN
if built_in:
    explanation = (
        polisen.EXPLANATION
        if source == polisen.SOURCE
        else "Månadsdatum blir hela månaden; brottstypen översätts till forumets kategorier."
    )
    st.info(
        f"Mallen för {imports.BUILT_IN[source].lower()} används. {explanation}",
        icon=":material/description:",
    )
else:
    st.subheader("Kolumner")
    base = mapping or Mapping(columns=suggest(table.columns))
    columns = [NONE, *table.columns]
    chosen = {}
    grid = st.columns(3)
    for i, (name, (label, help_text)) in enumerate(FIELDS.items()):
        current = base.columns.get(name)
        chosen[name] = grid[i % 3].selectbox(
            label,
            columns,
            index=columns.index(current) if current in columns else 0,
            key=f"{P}col_{name}",
            help=help_text,
        )
    cats = data.only_active(lookups.categories)
    labels = {
        f"{g} – {c}": cid for cid, c, g in zip(cats["id"], cats["name"], cats["group"], strict=True)
    }
    by_id = {v: k for k, v in labels.items()}
    default = st.selectbox(
        "Kategori för rader utan översättning",
        [NONE, *labels],
        index=[NONE, *labels].index(by_id.get(base.default_category, NONE)),
        key=f"{P}default_category",
    )
    values: dict[str, int | None] = {}
    category_column = chosen["category"]
    if category_column != NONE:
        counts = table.rows[category_column].str.strip().value_counts().head(200)
        names = {c.lower(): cid for cid, c in zip(cats["id"], cats["name"], strict=True)}
        targets = []
        for value in counts.index:
            if value in base.category_values:
                target = base.category_values[value]
                targets.append(SKIP if target is None else by_id.get(target, SKIP))
            else:
                cid = names.get(value.lower())
                targets.append(by_id[cid] if cid else None)
        st.caption(
            "Översätt filens kategorier till forumets. Tomt = kategorin ovan (eller fel "
            "om ingen är vald)."
        )
        edited = st.data_editor(
            pd.DataFrame(
                {
                    "Värde i filen": counts.index,
                    "Rader": counts.to_numpy(),
                    "Kategori i forumet": targets,
                }
            ),
            column_config={
                "Värde i filen": st.column_config.TextColumn(disabled=True),
                "Rader": st.column_config.NumberColumn(disabled=True),
                "Kategori i forumet": st.column_config.SelectboxColumn(options=[*labels, SKIP]),
            },
            hide_index=True,
            width="stretch",
            key=f"{P}values",
        )
        for value, target in zip(
            edited["Värde i filen"], edited["Kategori i forumet"], strict=True
        ):
            if target == SKIP:
                values[value] = None
            elif target in labels:
                values[value] = labels[target]
    require_sweden = st.checkbox(
        "Koordinaterna ska ligga i Sverige", value=base.require_sweden, key=f"{P}sweden"
    )
    mapping = Mapping(
        columns={k: v for k, v in chosen.items() if v != NONE},
        category_values=values,
        default_category=labels.get(default) if default != NONE else None,
        require_sweden=require_sweden,
    )

fingerprint = hashlib.sha1(
    content + repr(mapping.to_json()).encode() + f"{source}|{org_id}".encode()
).hexdigest()
if st.button("Kontrollera filen", icon=":material/fact_check:", key=f"{P}check"):
    try:
        report = write.read(
            ctx,
            imports.run_import,
            actor,
            source=source,
            filename=upload.name,
            table=table,
            mapping=mapping,
            organisation_id=org_id,
            pre_skipped=pre_skipped,
            store=False,
        )
    except UserError as exc:
        st.error(md_escape(exc), icon=":material/error:")
        st.stop()
    st.session_state[f"{P}report"] = (fingerprint, report)

checked = st.session_state.get(f"{P}report")
if not checked or checked[0] != fingerprint:
    st.stop()
report = checked[1]
if report.errors:
    st.error(md_escape(report.summary()), icon=":material/error:")
    st.dataframe(
        pd.DataFrame(
            {
                "Rad": [e.row for e in report.errors],
                "Kolumn": [e.column for e in report.errors],
                "Fel": [e.message for e in report.errors],
            }
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info(md_escape(report.summary()), icon=":material/fact_check:")
if report.skipped:
    with st.expander(f"{fmt.integer(len(report.skipped))} rader hoppas över"):
        st.dataframe(
            pd.DataFrame(
                {
                    "Rad/post": [r for r, _ in report.skipped],
                    "Varför": [why for _, why in report.skipped],
                }
            ),
            hide_index=True,
            width="stretch",
        )
if (
    report.ok
    and report.added
    and st.button(
        f"Importera {fmt.integer(report.added)} händelser",
        type="primary",
        icon=":material/download_done:",
        key=f"{P}run",
    )
):
    bar = st.progress(0.0, text="Importerar …")
    try:
        result = write.call(
            ctx,
            imports.run_import,
            actor,
            source=source,
            filename=upload.name,
            table=table,
            mapping=mapping,
            organisation_id=org_id,
            pre_skipped=pre_skipped,
            progress=lambda share, text: bar.progress(min(share, 1.0), text),
        )
        if not built_in:
            write.call(ctx, imports.save_mapping, actor, source, mapping)
    except (UserError, ValidationError) as exc:
        st.error(md_escape(exc), icon=":material/error:")
        st.stop()
    st.session_state.pop(f"{P}report", None)
    st.session_state["lb_import_done"] = (
        result.summary() + f" Kolumnmappningen är sparad för ”{source}”."
        if not built_in
        else result.summary()
    )
    st.rerun()
