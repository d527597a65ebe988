"""Clinical-trial matching against ClinicalTrials.gov API v2 studies stored locally. The public API the web app uses:

match_profile(profile, studies, origin=None, radius_miles=None, pack=None) -> ranked TrialMatch list (trials.match)
TrialMatch: one study judged for one profile; its model_dump(mode="json") is the public JSON contract (trials.models)
TrialStore(conn): synced studies in the app's SQLite file; .studies(), .count(), .last_sync(), .sync() (trials.store)
resolve_origin(place) -> Origin: a US ZIP code or 'City, ST' to coordinates, offline (trials.geo)

Import from the named modules; nothing is re-exported here, so importing the package stays cheap.
"""
