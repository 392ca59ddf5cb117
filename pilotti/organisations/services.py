"""Writes to organisations and memberships. Each is one atomic action that records who did it."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import save_with_history
from pilotti.core.tokens import hash_token
from pilotti.organisations.models import Invitation, Membership, Organisation, Role
from pilotti.organisations.selectors import count_active_admins
from pilotti.organisations.validators import normalise_business_id


@transaction.atomic
def organisation_create(
    *, name: str, slug: str, kind: str, business_id: str, actor: User | None = None, is_demo: bool = False
) -> Organisation:
    organisation = Organisation(
        name=name, slug=slug, kind=kind, business_id=normalise_business_id(business_id), is_demo=is_demo
    )
    organisation.full_clean()
    save_with_history(organisation, actor=actor)
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: User, role: str, title: str = "", actor: User | None = None
) -> Membership:
    """Makes the user a member, or reactivates and updates a membership they had before."""
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        membership = Membership(organisation=organisation, user=user)
    membership.role = role
    membership.title = title
    membership.is_active = True
    save_with_history(membership, actor=actor)
    return membership


def _refuse_losing_last_admin(membership: Membership) -> None:
    if membership.role == Role.ADMIN and membership.is_active and count_active_admins(membership.organisation) <= 1:
        raise ValidationError(
            _("%(organisation)s must keep at least one active organisation admin. Make someone else an admin first.")
            % {"organisation": membership.organisation.name}
        )


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str, title: str) -> Membership:
    if role != Role.ADMIN:
        _refuse_losing_last_admin(membership)
    membership.role = role
    membership.title = title
    save_with_history(membership, actor=actor, reason="role changed")
    return membership


@transaction.atomic
def membership_set_active(*, actor: User, membership: Membership, active: bool) -> Membership:
    """Deactivates (or reactivates) a membership; it is never deleted, so history stays."""
    if not active:
        _refuse_losing_last_admin(membership)
    reactivated = active and not membership.is_active
    membership.is_active = active
    save_with_history(membership, actor=actor, reason="reactivated" if active else "deactivated")
    if reactivated:
        _tell_reactivated(actor=actor, membership=membership)
    return membership


def _tell_reactivated(*, actor: User, membership: Membership) -> None:
    """An admin who reactivates a membership opens the organisation to that account again, through
    its single sign-on too: the person hears of it and can object (issue 19, finding 1)."""
    context = {"membership": membership, "actor": actor}
    with translation.override(translation.get_language()):
        subject = _("Your access to %(organisation)s in Pilotti is active again") % {
            "organisation": membership.organisation.name
        }
        body = render_to_string("organisations/email/reactivated.txt", context)
    recipient = membership.user.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]))


def member_invite(
    *, actor: User | None, organisation: Organisation, email: str, role: str, title: str, link_for: Callable[[str], str]
) -> Invitation:
    """Creates an invitation and e-mails its link; ``link_for(token)`` gives the absolute URL."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email, is_active=True).exists():
        raise ValidationError(_("%(email)s is already a member of this organisation.") % {"email": email})
    waiting = Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).first()
    if waiting is not None:
        raise ValidationError(
            _("%(email)s already has an invitation waiting, sent %(date)s. Withdraw it first to send a new one.")
            % {"email": email, "date": date_format(timezone.localtime(waiting.created_at), "SHORT_DATE_FORMAT")}
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Expired invitations to the address are closed, so that only the new link works.
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            title=title,
            token_hash=hash_token(token),
            invited_by=actor,
        )
        context = {"invitation": invitation, "accept_url": link_for(token), "actor": actor}
        # The e-mail goes out in the inviter's language; the recipient can switch on the page.
        with translation.override(translation.get_language()):
            subject = _("You are invited to %(organisation)s in Pilotti") % {"organisation": organisation.name}
            body = render_to_string("organisations/email/invitation.txt", context)
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise ValidationError(_("This invitation has already been used, has expired or was withdrawn."))
    if user.email.lower() != locked.email.lower():
        raise ValidationError(_("This invitation was sent to another e-mail address."))
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    return membership_add(
        organisation=locked.organisation, user=user, role=locked.role, title=locked.title, actor=locked.invited_by
    )


@transaction.atomic
def user_create_from_invitation(*, invitation: Invitation, full_name: str, password: str) -> User:
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    invitation_accept(invitation=invitation, user=user)
    return user
