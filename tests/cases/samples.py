"""A little of the desk's data for the cross-desk runs (the schemathesis run): a person in the
vault recorded by alice (so her token reaches the granted paths), a case in custody and an
incident."""

from __future__ import annotations

from datetime import date

from hofburg.cases.models import PrisonerCase
from hofburg.cases.services import hatecrime, persons, prisoners
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
    return case
