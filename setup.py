"""Build step that pyproject.toml cannot express: the design's top-level
templates/ folder is shipped inside the package as booking/templates, and the
translations are compiled to .mo files, so that an installed wheel serves
every page from any directory (and from a read-only site-packages)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithTemplates(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            # An editable install runs from the checkout, where create_app()
            # finds ../templates and compiles translations itself.
            return
        package = Path(self.build_lib) / "booking"
        # A fresh copy: a template deleted from the checkout must not linger
        # in a build folder left by an earlier build.
        shutil.rmtree(package / "templates", ignore_errors=True)
        shutil.copytree(HERE / "templates", package / "templates")
        self._compile_translations(package / "translations")

    @staticmethod
    def _compile_translations(translations):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in translations.glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildPyWithTemplates})
