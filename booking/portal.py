"""The staff side: log-in, partner portal, counsellor referrals, calendar
feeds and notifications, registered on the app in one place."""


def register(app):
    from booking.auth import bp as auth_bp
    from booking.auth import init_login
    from booking.counsellor import bp as counsellor_bp
    from booking.feeds import bp as feeds_bp
    from booking.partner import bp as partner_bp

    init_login(app)
    app.register_blueprint(auth_bp)
    app.register_blueprint(partner_bp, url_prefix="/partner")
    app.register_blueprint(counsellor_bp, url_prefix="/counsellor")
    app.register_blueprint(feeds_bp)
