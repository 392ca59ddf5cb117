"""Service use before and after: per service the programme follows, the contacts of each person
or household in the months before the support started and as many after it ended, compared with
the paired tests and effect sizes of the before/after outcomes (``outcomes.paired_group``, the
same ``statistics.paired``) among everyone with both counts (docs/evaluation.md, "Service use
before and after"). Two queries.

Who counts: a person's own counts while their evaluation consent held on the day the support
started; a household's while the consent of at least one member did. The shared view withholds
a group of fewer people than the threshold, as the before/after does (``suppression.before_after``
runs over this section too).
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q

from pilotti.evaluation.report.outcomes import paired_group
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import ServiceUseOut
from pilotti.people.models import HouseholdMember
from pilotti.people.selectors import consent_holds_on
from pilotti.serviceuse.models import ServiceUse
from pilotti.serviceuse.selectors import services_of

# One population: everyone with both counts. The counts come from the services' own records, so
# a missing after count is not yet counted, not a person lost to follow-up.
POPULATION = "all_pairs"


def service_use(s: Scope) -> list[ServiceUseOut]:
    services = list(services_of(s.programme))
    if not services:
        return []
    people = s.enrolments.filter(participant__isnull=False).values("participant_id")
    households = s.enrolments.filter(household__isnull=False).values("household_id")
    members = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
    member_consent = Exists(
        members.filter(household=OuterRef("household")).filter(
            consent_holds_on(OuterRef(OuterRef("support_started_on")), participant="participant")
        )
    )
    person = Q(participant__in=people) | Q(participant__in=members.values("participant_id"))
    own_consent = consent_holds_on(OuterRef("support_started_on"), participant="participant")
    in_scope = (person & own_consent) | (Q(household__in=households) & member_consent)
    counts: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for service_id, before, after in (
        ServiceUse.objects.filter(in_scope, service__in=services)
        .order_by("service_id", "id")
        .values_list("service_id", "before_count", "after_count")
    ):
        counts[service_id].append((before, after))
    result: list[ServiceUseOut] = []
    for service in services:
        rows = counts.get(service.pk, [])
        pairs = [(float(before), float(after)) for before, after in rows if after is not None]
        group = paired_group(POPULATION, [a for a, _ in pairs], [b for _, b in pairs], None)
        result.append(
            {
                "service": str(service.uuid),
                "name": service.name,
                "description": service.description,
                "period_months": service.period_months,
                "measured_people": len(rows),
                "scores": [{"score": "contacts", "label": "", "groups": [group]}],
            }
        )
    return result
