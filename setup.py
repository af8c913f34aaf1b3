"""The wheel carries the pages (web/), the schemas (schemas/) and the translations (locales/)
inside the package, as server.web, server.schemas and server.locales, so an installed Snug
finds them without the checkout.

Each language's messages.po is compiled to messages.mo as the package is built (fuzzy
translations left out), by Babel's compile_catalog: into the wheel, or for an editable install
beside the .po in the checkout, where Snug reads them. The .mo files are never committed.
"""

from pathlib import Path

from babel.messages.setuptools_frontend import compile_catalog
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        compiling = self.distribution.get_command_obj("compile_catalog")
        if self.editable_mode:
            compiling.directory = str(HERE / "locales")
        else:
            compiling.directory = str(Path(self.build_lib) / "server" / "locales")
        compiling.domain = "messages"
        self.run_command("compile_catalog")


setup(
    packages=[
        *find_packages(include=["server", "server.*"]),
        "server.web",
        "server.schemas",
        "server.locales",
    ],
    package_dir={"server.web": "web", "server.schemas": "schemas", "server.locales": "locales"},
    package_data={
        "server": ["**/*.json", "**/*.html"],
        "server.web": ["**/*"],
        "server.schemas": ["*.json"],
        "server.locales": ["*.pot", "*/LC_MESSAGES/*.po"],
    },
    cmdclass={"build_py": BuildWithCatalogues, "compile_catalog": compile_catalog},
)
