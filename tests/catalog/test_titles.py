"""catalog/learning/titles.py: normalized titles, provider keys, the look-alike rules."""

from __future__ import annotations

import pytest

from catalog.learning.titles import conflict, normalize_title, provider_key


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Fundamentals of Pharmacology (Online Course)", "fundamental of pharmacology"),
        (
            "The Role of Medical Assistants in Radiography - 1 CEU",
            "the role of medical assistant in radiography",
        ),
        ("Professionalism in the Medical Office &ndash; Online", "professionalism in the medical office"),
        ("Sterilization & Disinfection", "sterilization and disinfection"),
        ("Injection Techniques for MAs", "injection technique for medical assistant"),
        ("Phlebotomy Basics (1.5 contact hours)", "phlebotomy basic"),
    ],
)
def test_normalize_title_drops_format_noise(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("ACE (Annals of Continuing Education)", "ACE", True),
        ("American Association of Medical Assistants", "AAMA", True),
        ("Relias Academy", "Relias", True),
        ("ACE (Annals of Continuing Education)", "American Council on Exercise", False),
        ("NHA", "AMT", False),
    ],
)
def test_provider_key_matches_name_variants_but_not_other_providers(a, b, same):
    assert (provider_key(a) == provider_key(b)) is same


@pytest.mark.parametrize(
    "a, b",
    [
        ("Phlebotomy Part 1", "Phlebotomy Part 2"),
        ("CPT Coding Update 2024", "CPT Coding Update 2025"),
        ("Medical Spanish Level I", "Medical Spanish Level II"),
        ("Revenue Cycle Basics", "Revenue Cycle Advanced"),
        ("Pulse Oximetry Essentials", "Pulse Oximetry Essentials for Pediatrics"),
        ("Infection Control in the Medical Office", "Infection Control in the Dental Office"),
        ("CCMA exam, NHA members", "CCMA exam, non-members"),
        ("Blood Pressure Measurement", "Blood Glucose Measurement"),
        ("Electrocardiography for Medical Assistants", "Echocardiography for Medical Assistants"),
    ],
)
def test_conflict_rules_keep_look_alikes_apart(a, b):
    assert conflict(normalize_title(a), normalize_title(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Cultural Competence in Healthcare", "Cultural Competency in Health Care"),
        ("The Medical Assistant's Role in Team-Based Care", "The Medical Assitant's Role in Team-Based Care"),
        ("Opioid Overdose Response", "Opioid Overdose Response Training"),
        ("Insurance Verification Workflow", "Insurance Verification Work Flow"),
    ],
)
def test_conflict_rules_allow_spelling_variants_and_added_words(a, b):
    assert conflict(normalize_title(a), normalize_title(b)) is None
