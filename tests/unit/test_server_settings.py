"""The Streamlit settings the app is served with, as `lagesbild serve` and `streamlit run app.py`
read them: from the app's own folder, whatever the current folder is."""

import json
import subprocess
import sys

from lagesbild.cli import app_script

READ = """
import json, sys
from streamlit import config
config._main_script_path = sys.argv[1]
config.get_config_options(force_reparse=True)
names = ["runner.postScriptGC", "server.fileWatcherType", "server.runOnSave",
         "client.showErrorDetails", "theme.primaryColor"]
print(json.dumps({name: config.get_option(name) for name in names}))
"""


def test_the_served_app_skips_the_per_run_garbage_collection_and_file_watching(tmp_path):
    # in a fresh interpreter and an empty folder: Streamlit's settings are process-wide
    found = subprocess.run(
        [sys.executable, "-c", READ, str(app_script())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    settings = json.loads(found.stdout.strip().splitlines()[-1])
    assert settings["runner.postScriptGC"] is False
    assert settings["server.fileWatcherType"] == "none"
    assert settings["server.runOnSave"] is False
    assert settings["client.showErrorDetails"] == "none"
    assert settings["theme.primaryColor"] == "#0B5CAD"  # the app's file, not the defaults
