"""Business rules as plain functions. Views call these; these never touch
`flask.request` or `flash`, so the kiosk, the site, the portal, the API and
the CLI share one set of rules."""
