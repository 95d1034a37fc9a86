"""Import: bring an organisation's own file of incidents – CSV, Excel or the police's events."""

import hashlib

import pandas as pd
import streamlit as st

from lagesbild import fmt, labels
from lagesbild.errors import UserError, ValidationError
from lagesbild.fmt import md_escape
from lagesbild.importers import polisen
from lagesbild.importers.mapping import FIELDS, POLICE_UK, Mapping, suggest
from lagesbild.importers.reading import ImportFileError
from lagesbild.services import imports
from lagesbild.ui import context, data, form_state, forms, write

ctx, actor = context.current()
lookups = data.lookups(ctx.url)
P = "imp_"
NEW = "__ny__"
NONE = "(ingen)"
SKIP = "Hoppa över (importeras inte)"
DONE, FORGOTTEN = "imp_done_", "imp_forget_"  # confirmations of an import, a forgotten mapping
REJECTED, FILE_GENERATION = "lb_import_rejected", "lb_import_file_generation"


def imported() -> None:
    """The confirmation of the import just made, with its rejected rows to fetch."""
    if form_state.confirmation(DONE):
        rejected = st.session_state.pop(REJECTED, None)
        if rejected:
            st.download_button(
                "Hämta raderna med fel (CSV)",
                rejected[0],
                file_name=rejected[1],
                mime="text/csv",
                icon=":material/download:",
                key=f"{P}rejected_after",
            )


st.title("Import")
st.caption(
    "Importera händelser från en fil: CSV, TSV eller Excel med en kolumnmappning som sparas "
    "per källa, eller polisens händelser. Importen sparar allt eller inget om du inte väljer "
    "att hoppa över rader med fel; samma fil kan importeras igen utan dubbletter."
)
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
form_state.confirmation(FORGOTTEN)

# after an import the field gets a new key: the browser shows it empty for the next file
generation = st.session_state.get(FILE_GENERATION, 0)
upload = st.file_uploader(
    "Fil (CSV, TSV, Excel eller JSON, även packad med gzip; högst 100 MB)",
    type=["csv", "txt", "tsv", "tab", "xlsx", "json", "gz"],
    key=f"{P}file_{generation}" if generation else f"{P}file",
)
if upload is None:
    imported()
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


st.caption("Filen: " + table.describe())
for note in table.notes:
    st.caption(md_escape(note))
with st.expander("Förhandsgranskning (de första 10 raderna)", expanded=True):
    st.dataframe(table.rows.head(10), hide_index=True, width="stretch")

built_in = source in imports.BUILT_IN
may_save = built_in or write.read(ctx, imports.may_save_mapping, actor, source)
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
    if not may_save:
        st.warning(
            f"Kolumnmappningen för ”{md_escape(source)}” tillhör en annan organisation. Du kan "
            "importera med den, men dina ändringar sparas inte; välj ”Ny källa …” för en egen.",
            icon=":material/lock:",
        )
    elif choice in saved_sources and st.button(
        "Glöm den sparade mappningen", icon=":material/delete:", key=f"{P}forget"
    ):
        write.call(ctx, imports.delete_mapping, actor, source)
        st.session_state.pop(f"{P}table", None)
        form_state.saved(FORGOTTEN, f"Kolumnmappningen för ”{source}” är borttagen.", empty=False)
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
    names_of = {
        f"{g} – {c}": cid for cid, c, g in zip(cats["id"], cats["name"], cats["group"], strict=True)
    }
    by_id = {v: k for k, v in names_of.items()}
    default = st.selectbox(
        "Kategori för rader utan översättning",
        [NONE, *names_of],
        index=[NONE, *names_of].index(by_id.get(base.default_category, NONE)),
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
                "Kategori i forumet": st.column_config.SelectboxColumn(options=[*names_of, SKIP]),
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
            elif target in names_of:
                values[value] = names_of[target]
    require_sweden = st.checkbox(
        "Koordinaterna ska ligga i Sverige", value=base.require_sweden, key=f"{P}sweden"
    )
    visibilities = {v.value: text for v, text in labels.VISIBILITY.items()}
    visibility = st.selectbox(
        "Vem ser de importerade händelserna",
        list(visibilities),
        index=list(visibilities).index(base.visibility) if base.visibility in visibilities else 0,
        key=f"{P}visibility",
        format_func=visibilities.get,
    )
    mapping = Mapping(
        columns={k: v for k, v in chosen.items() if v != NONE},
        category_values=values,
        default_category=names_of.get(default) if default != NONE else None,
        precision=base.precision,
        visibility=visibility,
        require_sweden=require_sweden,
        skip_unmapped=base.skip_unmapped,
    )

skip_invalid = st.checkbox(
    "Importera giltiga rader, hoppa över resten",
    key=f"{P}skip_invalid",
    help="Annars sparar importen allt eller inget. Raderna med fel kan hämtas som en fil med "
    "en kolumn ”fel”, rättas och importeras igen.",
)
fingerprint = hashlib.sha1(
    content + repr(mapping.to_json()).encode() + f"{source}|{org_id}|{skip_invalid}".encode()
).hexdigest()
# The check and the import run the same import: the check stores nothing.
job = {
    "source": source,
    "filename": upload.name,
    "table": table,
    "mapping": mapping,
    "organisation_id": org_id,
    "pre_skipped": pre_skipped,
    "skip_invalid": skip_invalid,
}
if st.button("Kontrollera filen", icon=":material/fact_check:", key=f"{P}check"):
    try:
        report = write.read(ctx, imports.run_import, actor, store=False, **job)
    except UserError as exc:
        st.error(md_escape(exc), icon=":material/error:")
        st.stop()
    st.session_state[f"{P}report"] = (fingerprint, report)

checked = st.session_state.get(f"{P}report")
if not checked or checked[0] != fingerprint:
    st.stop()
report = checked[1]
if report.blocked:
    st.error(md_escape(report.summary()), icon=":material/error:")
    if report.rejected_rows:
        st.caption(
            "Vill du importera de giltiga raderna nu? Välj ”Importera giltiga rader, hoppa "
            "över resten” ovan."
        )
elif report.stores_nothing:
    st.warning(md_escape(report.summary()), icon=":material/warning:")
else:
    st.info(md_escape(report.summary()), icon=":material/fact_check:")
if report.errors:
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
if report.rejected_file:
    st.download_button(
        f"Hämta de {fmt.integer(report.rejected_rows)} raderna med fel (CSV)",
        report.rejected_file,
        file_name=imports.rejected_name(upload.name),
        mime="text/csv",
        icon=":material/download:",
        key=f"{P}rejected",
    )
if report.masked:
    with st.expander(
        f"Personuppgifter maskeras i {fmt.integer(len(report.masked))} texter",
        icon=":material/visibility_off:",
    ):
        st.dataframe(
            pd.DataFrame(
                {
                    "Rad/post": [r for r, _ in report.masked],
                    "Maskerat": [kinds for _, kinds in report.masked],
                }
            ),
            hide_index=True,
            width="stretch",
        )
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
    not report.blocked
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
            progress=lambda share, text: bar.progress(min(share, 1.0), text),
            **job,
        )
        if not built_in and may_save:
            write.call(ctx, imports.save_mapping, actor, source, mapping, org_id)
    except (UserError, ValidationError) as exc:
        st.error(md_escape(exc), icon=":material/error:")
        st.stop()
    st.session_state.pop(f"{P}report", None)
    st.session_state.pop(f"{P}table", None)
    st.session_state[FILE_GENERATION] = st.session_state.get(FILE_GENERATION, 0) + 1
    if result.rejected_file:
        st.session_state[REJECTED] = (result.rejected_file, imports.rejected_name(upload.name))
    form_state.saved(
        DONE,
        result.summary() + f" Kolumnmappningen är sparad för ”{source}”."
        if not built_in and may_save
        else result.summary(),
        empty=False,
    )
