"""Write the sample character into a folder for a client test's server; print what the test expects.

Usage: python sample_models.py DIR  (run with the project's venv). Prints one JSON object with
the model's name, name_en, vertex and face counts and realised target morphs (TARGET_MORPHS
order), computed by the library the server itself uses.
"""

import json
import sys

import animeceleb as ac
from animeceleb.sample import write_sample

path = write_sample(0, sys.argv[1])
model = ac.load_model(path)
annotation = ac.propose_annotation(model)
json.dump(
    {
        "name": model.name,
        "name_en": model.name_en,
        "vertex_count": int(model.positions.shape[0]),
        "face_count": int(model.faces.shape[0]),
        "target_morphs": [t for t in ac.TARGET_MORPHS if annotation.get(t)],
    },
    sys.stdout,
    ensure_ascii=False,
)
