"""The one-page visit summary: profile with evidence, risk, options with sources, questions and a timeline."""
