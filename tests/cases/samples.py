"""A little of the desk's data for the cross-desk runs (the schemathesis run): a person in the
vault recorded by alice, a case in custody, an incident, a piece of evidence and a public
statement on intolerance recorded by carol (an analyst). Alice has a confirmed second-factor
device, so her token reaches the granted paths and the desk's writes (a token of an account
without one is anonymous to the desk)."""

from __future__ import annotations

from datetime import date

from django_otp.plugins.otp_totp.models import TOTPDevice

from hofburg.cases.models import PrisonerCase
from hofburg.cases.services import evidence, hatecrime, persons, prisoners, tolerance
from hofburg.core.models import Classification
from tests.conftest import Cast


def store_cases_sample(cast: Cast) -> PrisonerCase:
    person, _ = persons.create_person(cast.alice, owner=cast.austria,
                                      vault_values={"name": "Sample Person (EXERCISE)",
                                                    "medical": "sample"})
    case = prisoners.create_prisoner_case(cast.alice, person, jurisdiction="XE",
                                          articles=["ECC 1"],
                                          classification=Classification.RESTRICTED)
    prisoners.add_detention_episode(cast.alice, case, kind="pre_trial", start=date(2024, 1, 1))
    hatecrime.import_incidents(cast.alice, (
        b"reporting_year,country,date,incident_type,bias_motivations,source_org,source_kind\n"
        b"2024,XE,2024-05-01,arson,antisemitism,Sample NGO,cso\n"),
        classification=Classification.RESTRICTED)
    tolerance.record_statement(cast.carol, tolerance.StatementRecord(
        made_on=date(2024, 11, 16), speaker="Sample Forum (EXERCISE)", title="Sample statement",
        text="EXERCISE sample", language="en", mandates=("antisemitism",),
        classification=Classification.PUBLIC, is_exercise=True))
    evidence.ingest_evidence(cast.alice, b"sample evidence (EXERCISE)", title="sample",
                             media_type="text/plain", subject=case)
    TOTPDevice.objects.create(user=cast.alice, name="sample", confirmed=True)
    return case
