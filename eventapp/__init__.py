"""eventapp: plan, run and evaluate community roundtables, following the Community Events Handbook."""

from __future__ import annotations

import os

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from config import BASE_DIR, CONFIGS, INSTANCE_DIR, Config, ProductionConfig


def create_app(config_class: type[Config] | Config | None = None) -> Flask:
    """Build the application for the given configuration (by default from FLASK_ENV/EVENTAPP_ENV)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
    )
    if config_class is None:
        env = os.environ.get("EVENTAPP_ENV", "development")
        config_class = CONFIGS[env]
    config = config_class() if isinstance(config_class, type) else config_class
    app.config.from_object(config)
    if isinstance(config, ProductionConfig):
        ProductionConfig.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(BASE_DIR / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    from eventapp import extensions, routing, web

    routing.init_app(app)
    extensions.init_app(app)
    web.init_app(app)

    from eventapp.accounts import cli as accounts_cli
    from eventapp.accounts.routes import bp as accounts_bp
    from eventapp.agenda.routes import bp as agenda_bp
    from eventapp.audience.routes import bp as audience_bp
    from eventapp.briefing.routes import bp as briefing_bp
    from eventapp.calendars.routes import bp as calendars_bp
    from eventapp.checklist.digest import bp as digest_bp
    from eventapp.checklist.routes import bp as checklist_bp
    from eventapp.demo import init_app as demo_init_app
    from eventapp.evaluation.dashboard_routes import bp as dashboard_bp
    from eventapp.evaluation.routes import bp as evaluation_bp
    from eventapp.events.routes import bp as events_bp
    from eventapp.feedback.routes import bp as feedback_bp
    from eventapp.formats.routes import bp as formats_bp
    from eventapp.invitations.routes import bp as invitations_bp
    from eventapp.mail import cli as mail_cli
    from eventapp.mail.routes import bp as mail_bp
    from eventapp.main.routes import bp as main_bp
    from eventapp.notices.routes import bp as notices_bp
    from eventapp.objectives.routes import bp as objectives_bp
    from eventapp.password_reset.routes import bp as password_reset_bp
    from eventapp.password_reset.routes import setup_bp as account_setup_bp
    from eventapp.public.routes import bp as public_bp
    from eventapp.questions.public_routes import bp as questions_public_bp
    from eventapp.questions.routes import bp as questions_bp
    from eventapp.registration.routes import bp as registration_bp
    from eventapp.registration.staff_routes import staff_bp as registrations_bp
    from eventapp.resources.routes import bp as resources_bp

    for blueprint in (
        main_bp,
        accounts_bp,
        events_bp,
        objectives_bp,
        audience_bp,
        formats_bp,
        agenda_bp,
        checklist_bp,
        calendars_bp,
        briefing_bp,
        notices_bp,
        mail_bp,
        password_reset_bp,
        account_setup_bp,
        invitations_bp,
        public_bp,
        questions_bp,
        questions_public_bp,
        registration_bp,
        registrations_bp,
        digest_bp,
        feedback_bp,
        evaluation_bp,
        dashboard_bp,
        resources_bp,
    ):
        app.register_blueprint(blueprint)
    from eventapp.checklist.services import connect_signals

    connect_signals()
    accounts_cli.init_app(app)
    mail_cli.init_app(app)
    demo_init_app(app)
    from eventapp.registration import cli as registration_cli

    registration_cli.init_app(app)
    from eventapp.access import check_routes

    check_routes(app)
    return app
