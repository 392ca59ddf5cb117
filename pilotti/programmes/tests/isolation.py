"""The isolation contract: objects of ``world.org`` and the kwargs of every URL that takes any.

A project-wide test walks every URL pattern as ``world.outsider`` (a member of another
organisation only) and expects 403/404 (405 for GET on POST-only views).
"""

from typing import Any

from pilotti.programmes import services
from tests.factories import make_programme, make_site, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan ohjelma")
    site = make_site(programme)
    unit = make_unit(programme, site=site, facilitator=world.facilitator)
    assignment = unit.facilitators.get()
    by_slug = {"slug": programme.slug}
    by_unit = {"unit_uuid": unit.uuid}
    # The other organisation (whose admin is the isolation walk's outsider) asks world.org to be a
    # partner: only world.org's admins may answer, the asking owner's admin gets 404 like anyone.
    asking = make_programme(world.other_org, name="Beetan ohjelma")
    invitation = services.partner_invite(actor=world.outsider, programme=asking, organisation=world.org)
    by_invitation = {"invitation_uuid": invitation.uuid}
    return {
        "programmes:partner_invitation_accept": by_invitation,
        "programmes:partner_invitation_decline": by_invitation,
        "programmes:detail": by_slug,
        "programmes:edit": by_slug,
        "programmes:partner_add": by_slug,
        "programmes:adoption_add": by_slug,
        # tests/authz.py makes "gamma" a partner of every programme of world.org.
        "programmes:organisation_unlink": {"slug": programme.slug, "organisation_slug": "gamma"},
        "programmes:site_create": by_slug,
        "programmes:unit_detail": by_unit,
        "programmes:unit_delete": by_unit,
        "programmes:delete": by_slug,
        "programmes:facilitator_add": by_unit,
        "programmes:facilitator_remove": {"unit_uuid": unit.uuid, "assignment_uuid": assignment.uuid},
        "programmes:archive": by_slug,
        "programmes:unarchive": by_slug,
        "programmes:unit_archive": by_unit,
        "programmes:unit_unarchive": by_unit,
        # The site is the unit's, so deleting it is refused (the walk changes nothing).
        "programmes:site_archive": {"site_uuid": site.uuid},
        "programmes:site_unarchive": {"site_uuid": site.uuid},
        "programmes:site_delete": {"site_uuid": site.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "programmes:archive": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "403 403 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:unarchive": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:unit_archive": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:unit_unarchive": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:site_archive": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:site_unarchive": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:site_delete": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:adoption_add": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:create": {
        "own": "200 200 403 403",
        "partner": "200 200 403 403",
        "adopter": "200 200 403 403",
        "other": "200 200 403 403",
        "anonymous": "login",
    },
    "programmes:delete": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:detail": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:edit": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "403 403 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:facilitator_add": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:facilitator_remove": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:list": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "programmes:organisation_unlink": {
        "own": "200 200 403 403",
        "partner": "403 403 404 403",
        "adopter": "403 403 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:partner_add": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/403 405/403 405/404 405/403",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:partner_invitations": {
        "own": "200 403 403 403",
        "partner": "200 403 403 403",
        "adopter": "200 403 403 403",
        "other": "200 403 403 403",
        "anonymous": "login",
    },
    "programmes:partner_invitation_accept": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:partner_invitation_decline": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "programmes:site_create": {
        "own": "200 200 403 403",
        "partner": "200 200 404 403",
        "adopter": "200 200 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:unit_detail": {
        "own": "200",
        "partner": "200 200 404 200",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "programmes:unit_delete": {
        "own": "405/302 405/302 405/403 405/403",
        "partner": "405/403 405/403 405/404 405/403",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
