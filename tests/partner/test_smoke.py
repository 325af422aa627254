"""Every portal page renders for partner staff."""


def test_partner_pages_render(client, world, login_as):
    login_as(world.users.partner)
    for path in ["/partner/", "/partner/locations", "/partner/people", "/partner/tokens",
                 "/partner/referrals",
                 "/partner/sessions/new", f"/partner/sessions/{world.own_session.id}",
                 f"/partner/sessions/{world.own_session.id}/edit",
                 f"/partner/sessions/{world.own_session.id}/poster",
                 f"/partner/locations/{world.own_location.id}/poster",
                 f"/partner/locations/{world.own_location.id}/edit",
                 f"/partner/locations/{world.own_location.id}/rooms/new",
                 f"/partner/rooms/{world.own_room.id}/edit", "/account"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:2000])
