"""The French checks the national schemas declare and frictionless skips, each on a row
that breaks it and a row that keeps it."""

import pytest

from territoria.opendata.validation import check_row

SUBVENTIONS = {"name": "one-of-required", "params": {"column1": "idBeneficiaire",
                                                     "column2": "rnaBeneficiaire"}}  # fmt: skip


@pytest.mark.parametrize(
    ("check", "bad", "good", "message"),
    [
        (SUBVENTIONS, {}, {"rnaBeneficiaire": "W751234567"},
         "Renseignez idBeneficiaire ou rnaBeneficiaire."),
        ({"name": "french-siret-value", "params": {"column": "S"}}, {"S": "21470001700011"},
         {"S": "21470001700012"}, "Le SIRET « 21470001700011 » est invalide"),
        ({"name": "year-interval-value", "params": {"column": "Y", "allow-year-only": "yes"}},
         {"Y": "2024/2026"}, {"Y": "2024/2025"}, "« 2024/2026 » n'est pas une année"),
        ({"name": "cohesive-columns-value", "params": {"column": "A", "othercolumns": ["B"]}},
         {"A": "1", "B": ""}, {"A": "", "B": ""}, "Les colonnes A, B se remplissent ensemble"),
        ({"name": "compare-columns-value", "params": {"column": "PREF_DATE", "op": ">=",
                                                      "column2": "DELIB_DATE"}},
         {"PREF_DATE": "2026-01-02", "DELIB_DATE": "2026-01-05"},
         {"PREF_DATE": "2026-01-06", "DELIB_DATE": "2026-01-05"},
         "PREF_DATE doit être >= DELIB_DATE"),
        ({"name": "sum-columns-value", "params": {"column": "R", "columns": ["P", "C"]}},
         {"R": "10", "P": "6", "C": "3"}, {"R": "9", "P": "6", "C": "3"},
         "R doit être la somme de P, C."),
        ({"name": "nomenclature-actes-value", "params": {"column": "M"}},
         {"M": "Sports/Piscines"}, {"M": "Finances locales/Subventions"},
         "« Sports/Piscines » ne commence pas par une famille"),
    ],
    ids=["one_of_required_case", "siret_case", "year_interval_case", "cohesive_case",
         "compare_case", "sum_case", "actes_case"],
)  # fmt: skip
def test_each_custom_check_names_the_broken_rule_in_french(check, bad, good, message):
    """A breaking row gets one French message naming the rule; a keeping row none."""
    (problem,) = check_row(bad, check)
    assert problem[1].startswith(message)
    assert check_row(good, check) == []
