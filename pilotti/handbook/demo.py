"""The demo's handbook: Perhe yhtenäiseksi, the model that spread from Oulu to three adopters,
carries its worker's guide (in two versions), a method card and a consent template. The texts
are short summaries written for the demo. Idempotent: a programme with any file is left alone."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from pilotti.handbook.models import HandbookFile, Kind
from pilotti.handbook.services import FileFields, handbook_file_add, handbook_version_add
from pilotti.programmes.models import Programme

GUIDE_1 = """# Perhe yhtenäiseksi – työntekijän opas

Työpari (sosiaali- ja terveysalan ammattilaiset) tapaa perhettä kotikäynneillä.
Tapaamisia on enintään kymmenen; kunkin tavoitteet sovitaan perheen kanssa.
"""
GUIDE_2 = (
    GUIDE_1
    + """
## Lapsen ääni

Jokaisella käynnillä lapsella on oma hetkensä työparin toisen jäsenen kanssa.
Lapsen toiveet kirjataan perheen kanssa sovittuihin tavoitteisiin.
"""
)
CARD = """# Menetelmäkortti: perheen voimavarakartta

Piirretään yhdessä perheen kanssa, keitä ja mitä perheen ympärillä on.
Kortti käydään läpi ensimmäisellä ja viimeisellä käynnillä.
"""
CONSENT = """Suostumus tietojen käyttöön arvioinnissa (pohja)

Annan suostumukseni siihen, että vastauksiani käytetään Perhe yhtenäiseksi -mallin arviointiin
ilman nimeäni. Voin perua suostumukseni milloin tahansa.
"""


def _text(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def load() -> None:
    programme = Programme.objects.filter(slug="perhe-yhtenaiseksi").first()
    if programme is None or HandbookFile.objects.filter(programme=programme).exists():
        return
    with transaction.atomic():
        guide = handbook_file_add(
            actor=None,
            programme=programme,
            fields=FileFields("Työntekijän opas", Kind.WORKER_GUIDE, "fi"),
            upload=_text("tyontekijan-opas.md", GUIDE_1),
        )
        handbook_version_add(
            actor=None, file=guide, upload=_text("tyontekijan-opas.md", GUIDE_2), note="Lapsen ääni -osio lisätty"
        )
        handbook_file_add(
            actor=None,
            programme=programme,
            fields=FileFields("Perheen voimavarakartta", Kind.METHOD_CARD, "fi"),
            upload=_text("voimavarakartta.md", CARD),
        )
        handbook_file_add(
            actor=None,
            programme=programme,
            fields=FileFields("Suostumus arviointiin", Kind.CONSENT_TEMPLATE, "fi"),
            upload=_text("suostumuspohja.txt", CONSENT),
        )
