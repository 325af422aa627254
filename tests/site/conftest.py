import pytest

from tests.conftest import in_days


@pytest.fixture
def offer(make):
    """Two places, two themes, three sessions in the coming days."""
    ghent = make.location(name="De Krook", city="Gent", address="Miriam Makebaplein 1")
    kortrijk = make.location(name="Hoofdbibliotheek", city="Kortrijk")
    cv = make.theme(id="cv", pictogram="cv", titles={"nl": "Maak je cv", "en": "Make your CV",
                                                    "ar": "اكتب سيرتك الذاتية"})
    apps = make.theme(id="apps", pictogram="phone", titles={"nl": "Handige apps", "en": "Useful apps"})
    return {
        "ghent": ghent,
        "kortrijk": kortrijk,
        "cv_ghent": make.session(room=make.room(location=ghent, name="PC-lokaal"), theme=cv,
                                 starts_at=in_days(1), capacity=4, walk_in_seats=2,
                                 languages=["nl", "ar"]),
        "apps_kortrijk": make.session(room=make.room(location=kortrijk), theme=apps,
                                      starts_at=in_days(2), languages=["nl", "tr"]),
        "cv_kortrijk": make.session(room=make.room(location=kortrijk), theme=cv,
                                    starts_at=in_days(3), languages=["fr"]),
    }
