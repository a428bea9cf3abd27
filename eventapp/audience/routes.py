"""The audience page: the profile, the handbook's prompts and the target organisations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eventapp import edits, once, uow
from eventapp.access import me, planner_required
from eventapp.accounts.forms import ConfirmForm
from eventapp.audience import services
from eventapp.audience import stage as _stage  # noqa: F401 - registers the overview stage
from eventapp.audience.forms import (
    AddOrganisationForm,
    AudienceForm,
    EditOrganisationForm,
    PasteOrganisationsForm,
    RemoveOrganisationsForm,
)
from eventapp.errors import DomainError
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.forms import show_error
from eventapp.handbook import ReceptiveSlot, Sector
from eventapp.routing import ids_from
from eventapp.web import keeps_input_on_csrf_error

bp = Blueprint("audience", __name__, url_prefix="/events/<int:event_id>/audience")


def _page(event: Event, *, form: AudienceForm | None = None) -> str:
    """The audience profile: only its own form, so nothing else on the page can discard it."""
    if form is None:
        data = services.profile_data(services.get_profile(event))
        form = AudienceForm(data=data, formdata=None)
        edits.remember(form, data)
    return render_template(
        "audience/edit.html",
        event=event,
        form=form,
        organisations=services.organisations(event),
    )


def _organisations_page(
    event: Event,
    *,
    add_form: AddOrganisationForm | None = None,
    paste_form: PasteOrganisationsForm | None = None,
    problems: list[str] | None = None,
    remove_error: str = "",
) -> str:
    return render_template(
        "audience/organisations.html",
        event=event,
        add_form=add_form or AddOrganisationForm(prefix="add", formdata=None),
        paste_form=paste_form or PasteOrganisationsForm(prefix="paste", formdata=None),
        organisations=services.organisations(event),
        problems=problems or [],
        remove_error=remove_error,
    )


def _to_list(event: Event) -> Response:
    return redirect(url_for("audience.organisations", event_id=event.id))


@bp.route("/", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit(event: Event) -> str | Response:
    """View and save the audience profile."""
    if request.method == "GET":
        return _page(event)
    form = AudienceForm()
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name in services.PROFILE_FIELDS}
        values["sector"] = Sector(form.sector.data)
        values["receptive_slot"] = ReceptiveSlot(form.receptive_slot.data)
        if values["sector"] is Sector.OTHER and not values["sector_other"]:
            form.sector_other.errors = ["Enter the other sector"]
        else:
            profile = services.get_profile(event)
            event_services.reread_locked(event, *([profile] if profile else []))
            outcome = edits.reconcile(form, services.profile_data(services.get_profile(event)))
            if not outcome.clean:
                uow.rollback()
                return _page(event, form=form)
            values = {name: getattr(form, name).data or "" for name in services.PROFILE_FIELDS}
            values["sector"] = Sector(form.sector.data)
            values["receptive_slot"] = ReceptiveSlot(form.receptive_slot.data)
            uow.run(services.save_profile, event=event, actor=me(), values=values)
            flash("Audience profile saved." + edits.kept_note(outcome), "success")
            return redirect(url_for("audience.edit", event_id=event.id))
    return _page(event, form=form)


@bp.route("/organisations", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def organisations(event: Event) -> str | Response:
    """The target organisations, on a page of their own; add one."""
    if request.method == "GET":
        return _organisations_page(event)
    form = AddOrganisationForm(prefix="add")
    if form.validate_on_submit():
        try:
            added, skipped = services.add_organisations(
                event=event,
                actor=me(),
                items=[services.ParsedOrganisation(form.name.data or "", form.expected.data)],
            )
        except DomainError as error:
            show_error(form, error, "name")
        else:
            if added:
                uow.commit()
                flash(f"{form.name.data} added.", "success")
                return _to_list(event)
            form.name.errors = [f"{skipped[0]} is already on the list"]
    return _organisations_page(event, add_form=form)


@bp.route("/organisations/paste", methods=["POST"])
@planner_required
@keeps_input_on_csrf_error
def paste_organisations(event: Event) -> str | Response:
    """Add many target organisations, one per line."""
    form = PasteOrganisationsForm(prefix="paste")
    if form.validate_on_submit():
        items, problems = services.parse(form.names.data or "")
        if problems:
            # Nothing is saved until every line can be imported as meant.
            shown = [p.message for p in problems[:10]]
            if len(problems) > 10:
                shown.append(f"And {len(problems) - 10} more lines like these")
            form.names.errors = [
                "Nothing was added: correct the lines listed, then add the list again"
            ]
            return _organisations_page(event, paste_form=form, problems=shown)
        elif not items:
            form.names.errors = ["Paste at least one organisation"]
        else:
            try:
                added, skipped = uow.run(
                    services.add_organisations, event=event, actor=me(), items=items
                )
            except DomainError as error:
                show_error(form, error, "names")
            else:
                message = f"{added} organisation{'s' if added != 1 else ''} added."
                if skipped:
                    message += f" {len(skipped)} already on the list: {', '.join(skipped[:5])}."
                flash(message, "success")
                return _to_list(event)
    return _organisations_page(event, paste_form=form)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def edit_organisation(event: Event, organisation_id: int) -> str | Response:
    """Rename a target organisation or change how many people are expected from it."""
    organisation = services.get_organisation(event, organisation_id)
    if request.method == "GET":
        data = services.organisation_data(organisation)
        form = EditOrganisationForm(data=data, formdata=None)
        edits.remember(form, data)
    else:
        form = EditOrganisationForm()
    outcome = None
    if form.validate_on_submit():
        event_services.reread_locked(event, organisation)
        outcome = edits.reconcile(form, services.organisation_data(organisation))
        if not outcome.clean:
            uow.rollback()
    if outcome is not None and outcome.clean:
        try:
            uow.run(
                services.update_organisation,
                organisation=organisation,
                actor=me(),
                name=form.name.data or "",
                expected=form.expected.data,
            )
        except DomainError as error:
            show_error(form, error, "name")
        else:
            flash(f"{organisation.name} saved.{edits.kept_note(outcome)}", "success")
            return _to_list(event)
    return render_template(
        "audience/organisation.html",
        event=event,
        organisation=organisation,
        form=form,
        delete_form=ConfirmForm(formdata=None),
    )


@bp.route("/organisations/remove", methods=["GET", "POST"])
@planner_required
@keeps_input_on_csrf_error
def remove_organisations(event: Event) -> str | Response:
    """Remove the organisations ticked on the list, after one confirmation."""
    ids = ids_from((request.args if request.method == "GET" else request.form).getlist("ids"))
    form = RemoveOrganisationsForm()
    if not ids:
        return _organisations_page(event, remove_error="Select the organisations to remove")
    try:
        if form.validate_on_submit():
            done = once.run(
                form.form_token.data,
                lambda: services.remove_organisations(event=event, actor=me(), ids=ids),
                url=lambda _names: url_for("audience.organisations", event_id=event.id),
            )
            if done.repeat:
                flash(once.ALREADY_DONE)
            elif done.value:
                count = len(done.value)
                flash(f"{count} organisation{'s' if count != 1 else ''} removed.", "success")
            else:
                flash("Nothing was removed: those organisations had already been removed.")
            return redirect(done.url)
        chosen = services.chosen_organisations(event, ids)
    except DomainError as error:
        return _organisations_page(event, remove_error=error.message)
    if not chosen:
        flash("Those organisations had already been removed.")
        return _to_list(event)
    return render_template(
        "audience/remove_organisations.html", event=event, form=form, organisations=chosen
    )


@bp.route("/organisations/<int:organisation_id>/delete", methods=["POST"])
@planner_required
def remove_organisation(event: Event, organisation_id: int) -> Response:
    """Remove one target organisation, from its own page."""
    if not ConfirmForm().validate_on_submit():
        return _to_list(event)
    organisation = services.remove_organisation(
        event=event, actor=me(), organisation_id=organisation_id
    )
    uow.commit()
    flash(f"{organisation.name} removed.", "success")
    return _to_list(event)
