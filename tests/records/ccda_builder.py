"""Small C-CDA documents for rule tests: a kidney-cancer problem section and the section under test."""

from __future__ import annotations

KIDNEY_PROBLEM = """  <component><section>
   <templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
   <text>Papillary renal cell carcinoma, right kidney</text>
   <entry><act classCode="ACT" moodCode="EVN"><entryRelationship typeCode="SUBJ">
    <observation classCode="OBS" moodCode="EVN"><value xsi:type="CD" code="C64.1"
     codeSystem="2.16.840.1.113883.6.90" displayName="Malignant neoplasm of right kidney"/></observation>
   </entryRelationship></act></entry>
  </section></component>
"""


def ccd_with(section: str) -> str:
    """A C-CDA document naming a kidney cancer in its problems, with `section` (a <component>) after it."""
    return ('<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n <component><structuredBody>\n'
            + KIDNEY_PROBLEM + section + " </structuredBody></component>\n</ClinicalDocument>\n")
