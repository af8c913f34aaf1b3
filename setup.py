"""The wheel carries the pages (web/), the schemas (schemas/) and the translations (locales/)
inside the package, as server.web, server.schemas and server.locales, so an installed Snug
finds them without the checkout.

Each language's messages.po is compiled to messages.mo as the package is built (fuzzy
translations left out), by Babel's compile_catalog: into the wheel, or for an editable install
beside the .po in the checkout, where Snug reads them. The .mo files are never committed.
"""

from pathlib import Path

from babel.messages.setuptools_frontend import compile_catalog
from setuptools import find_namespace_packages, setup
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


MAPPED = {"server.web": "web", "server.schemas": "schemas", "server.locales": "locales"}


def packages() -> list[str]:
    """Every folder the wheel carries, data-only ones included (server/exports/templates,
    web/static/js, ...): setuptools warns about, and will one day leave out, a folder under a
    package that is not listed as one itself."""
    found = find_namespace_packages(include=["server", "server.*"], exclude=["*.__pycache__"])
    for package, folder in MAPPED.items():
        subs = find_namespace_packages(folder, exclude=["*__pycache__"])
        found += [package, *(f"{package}.{sub}" for sub in subs)]
    return found


setup(
    packages=packages(),
    package_dir=MAPPED,
    package_data={
        "server": ["**/*.json", "**/*.html"],
        "server.web": ["**/*"],
        "server.schemas": ["*.json"],
        "server.locales": ["*.pot", "*/LC_MESSAGES/*.po"],
    },
    cmdclass={"build_py": BuildWithCatalogues, "compile_catalog": compile_catalog},
)
