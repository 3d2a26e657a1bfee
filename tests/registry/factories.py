"""A small, well-known slice of the OSCE for registry tests, created directly with the ORM.

Five participating States (Austria, Finland, Malta, Switzerland, Moldova), two Partners
(Japan, Morocco), the Chairmanships of 2024, 2025 and 2026 (Malta, Finland, Switzerland),
a current and a closed field operation (the Missions to Moldova and to Georgia), one conflict
(Transdniestria) with its 5+2 format, ODIHR, and the Conflict Prevention Centre in the
Secretariat. Some rows are labelled UNCONFIRMED, SECONDARY or DISPUTED so that pages can be
checked for the labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from time_machine import TimeMachineFixture

from hofburg.registry.models import (
    Chairmanship,
    Confidence,
    Conflict,
    FieldOperation,
    FormatParticipant,
    Institution,
    NegotiationFormat,
    ParticipatingState,
    Partner,
    SecretariatUnit,
    StatusEvent,
)

ORIGINAL = date(1973, 6, 25)
PRAGUE_COUNCIL = date(1992, 1, 30)
SOURCE = "OSCE, Expansion of the CSCE/OSCE"


@dataclass
class Osce:
    austria: ParticipatingState
    finland: ParticipatingState
    malta: ParticipatingState
    switzerland: ParticipatingState
    moldova: ParticipatingState
    japan: Partner
    morocco: Partner
    chairs: dict[int, Chairmanship]
    mission_to_moldova: FieldOperation
    mission_to_georgia: FieldOperation
    transdniestria: Conflict
    five_plus_two: NegotiationFormat
    odihr: Institution
    cpc: SecretariatUnit


def names(en: str, fr: str, de: str, it: str, ru: str, es: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "de": de, "it": it, "ru": ru, "es": es}


def create_state(iso2: str, iso3: str, numeric: str, names: dict[str, str], joined: date,
                 confidence: str = Confidence.CONFIRMED, source: str = SOURCE,
                 note: str = "") -> ParticipatingState:
    return ParticipatingState.objects.create(
        iso2=iso2, iso3=iso3, numeric=numeric, names=names, joined=joined, source=source,
        confidence=confidence, note=note)


def create_osce() -> Osce:
    austria = create_state("AT", "AUT", "040",
                           names("Austria", "Autriche", "Österreich", "Austria", "Австрия",
                                 "Austria"), ORIGINAL)
    finland = create_state("FI", "FIN", "246",
                           names("Finland", "Finlande", "Finnland", "Finlandia", "Финляндия",
                                 "Finlandia"), ORIGINAL)
    malta = create_state("MT", "MLT", "470",
                         names("Malta", "Malte", "Malta", "Malta", "Мальта", "Malta"), ORIGINAL,
                         confidence=Confidence.UNCONFIRMED)
    switzerland = create_state("CH", "CHE", "756",
                               names("Switzerland", "Suisse", "Schweiz", "Svizzera", "Швейцария",
                                     "Suiza"), ORIGINAL, confidence=Confidence.UNCONFIRMED,
                               note="member of the OSCE since 1973")
    moldova = create_state("MD", "MDA", "498",
                           names("Moldova", "Moldavie", "Moldau", "Moldavia", "Молдова",
                                 "Moldavia"), PRAGUE_COUNCIL)
    StatusEvent.objects.create(state=moldova, kind=StatusEvent.Kind.ADMITTED, date=PRAGUE_COUNCIL,
                               description="Admitted at the Prague Council", source=SOURCE)

    japan = Partner.objects.create(
        iso2="JP", iso3="JPN", numeric="392", group=Partner.Group.ASIAN, since="1992",
        names=names("Japan", "Japon", "Japan", "Giappone", "Япония", "Japón"),
        source="osce.org, Partners for Co-operation")
    morocco = Partner.objects.create(
        iso2="MA", iso3="MAR", numeric="504", group=Partner.Group.MEDITERRANEAN,
        since="associated since the 1975 Helsinki process",
        names=names("Morocco", "Maroc", "Marokko", "Marocco", "Марокко", "Marruecos"),
        source="osce.org, Partners for Co-operation")

    chairs = {
        2024: Chairmanship.objects.create(year=2024, state=malta, source="osce.org"),
        2025: Chairmanship.objects.create(year=2025, state=finland, source="osce.org"),
        2026: Chairmanship.objects.create(year=2026, state=switzerland,
                                          source="Ministerial Council decision of 30 Dec 2024"),
    }

    mission = FieldOperation.objects.create(
        code="mission-to-moldova", region="Eastern Europe", host_state=moldova, seat="Chișinău",
        basis="CSO decision of 4 February 1993", established=date(1993, 4, 27),
        names=names("Mission to Moldova", "Mission en Moldavie", "Mission in Moldau",
                    "Missione in Moldavia", "Миссия в Молдове", "Misión en Moldavia"),
        source="Survey of OSCE Field Operations", confidence=Confidence.UNCONFIRMED)

    georgia_mission = FieldOperation.objects.create(
        code="mission-to-georgia", region="South Caucasus", host_label="Georgia", seat="Tbilisi",
        established=date(1992, 12, 3), closed=date(2009, 6, 30),
        names=names("Mission to Georgia", "Mission en Géorgie", "Mission in Georgien",
                    "Missione in Georgia", "Миссия в Грузии", "Misión en Georgia"),
        source="Survey of OSCE Field Operations")

    transdniestria = Conflict.objects.create(
        code="transdniestria",
        names=names("Transdniestrian settlement process", "Processus de règlement transnistrien",
                    "Transnistrischer Beilegungsprozess", "Processo di risoluzione transnistriano",
                    "Приднестровское урегулирование", "Proceso de arreglo del Trans-Dniéster"),
        source="osce.org, Mission to Moldova")
    five_plus_two = NegotiationFormat.objects.create(
        code="5plus2", conflict=transdniestria, started="2005", status="no formal round since 2019",
        names=names("5+2 format", "format 5+2", "5+2-Format", "formato 5+2", "формат 5+2",
                    "formato 5+2"),
        source="osce.org, 5+2 talks", confidence=Confidence.DISPUTED)
    FormatParticipant.objects.create(format=five_plus_two, state=moldova,
                                     role=FormatParticipant.Role.SIDE)
    FormatParticipant.objects.create(format=five_plus_two, name="Transdniestria",
                                     role=FormatParticipant.Role.SIDE)
    FormatParticipant.objects.create(format=five_plus_two, name="OSCE",
                                     role=FormatParticipant.Role.MEDIATOR)
    FormatParticipant.objects.create(format=five_plus_two, name="European Union",
                                     role=FormatParticipant.Role.OBSERVER)

    odihr = Institution.objects.create(
        code="odihr", acronym="ODIHR", seat="Warsaw", established="1990 (Charter of Paris)",
        names=names("Office for Democratic Institutions and Human Rights",
                    "Bureau des institutions démocratiques et des droits de l'homme",
                    "Büro für demokratische Institutionen und Menschenrechte",
                    "Ufficio per le istituzioni democratiche e i diritti dell'uomo",
                    "Бюро по демократическим институтам и правам человека",
                    "Oficina de Instituciones Democráticas y Derechos Humanos"),
        source="osce.org, Institutions")
    secretariat = SecretariatUnit.objects.create(
        code="secretariat", names=names("Secretariat", "Secrétariat", "Sekretariat",
                                        "Segretariato", "Секретариат", "Secretaría"),
        source="osce.org, Secretariat")
    cpc = SecretariatUnit.objects.create(
        code="cpc", acronym="CPC", parent=secretariat,
        names=names("Conflict Prevention Centre", "Centre de prévention des conflits",
                    "Konfliktverhütungszentrum", "Centro per la prevenzione dei conflitti",
                    "Центр по предотвращению конфликтов",
                    "Centro para la Prevención de Conflictos"),
        source="osce.org, Secretariat", confidence=Confidence.SECONDARY)

    return Osce(austria=austria, finland=finland, malta=malta, switzerland=switzerland,
                moldova=moldova, japan=japan, morocco=morocco, chairs=chairs,
                mission_to_moldova=mission, mission_to_georgia=georgia_mission,
                transdniestria=transdniestria,
                five_plus_two=five_plus_two, odihr=odihr, cpc=cpc)


def create_czechoslovak_chair() -> Chairmanship:
    """1992: chaired by a State that no longer exists, so the row has no `state`."""
    return Chairmanship.objects.create(year=1992, historical_name="Czechoslovakia",
                                       source="osce.org")


def freeze_today(time_machine: TimeMachineFixture, day: date) -> None:
    """Stop the clock (and so `timezone.localdate()`) on `day`, at noon in Vienna."""
    time_machine.move_to(datetime(day.year, day.month, day.day, 10, tzinfo=UTC), tick=False)
