"""nbguard's JupyterLab extension: a prebuilt labextension, nothing to run on the server."""


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "nbguard-jupyterlab"}]
