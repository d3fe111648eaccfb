"""``fastdicom.install_as_pydicom()``: whole programs and pydicom-based libraries on fastdicom.

Each case runs in a fresh interpreter: the alias changes ``sys.modules`` for good.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import fastdicom


def run_json(run_python, code: str) -> dict:
    """Run `code` (which prints one JSON line last) and parse that line."""
    result = run_python(textwrap.dedent(code))
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pydicom_modules_are_fastdicom_modules(run_python):
    got = run_json(
        run_python,
        """
        import json, fastdicom
        fastdicom.install_as_pydicom()
        import pydicom, pydicom.config, pydicom.uid
        from pydicom.dataset import Dataset
        from pydicom.sequence import Sequence
        import fastdicom.dataset
        ds = Dataset()
        ds.PatientName = "Doe^John"
        seq_ok = True
        try:
            Sequence([ds])
        except Exception:
            seq_ok = False
        try:
            import pydicom.no_such_module
            missing = "imported"
        except ModuleNotFoundError as exc:
            missing = exc.name
        fastdicom.install_as_pydicom()  # a second call changes nothing
        print(json.dumps({
            "dataset": Dataset is fastdicom.dataset.Dataset,
            "config": pydicom.config is fastdicom.config,
            "uid": pydicom.uid is fastdicom.uid,
            "dcmread": pydicom.dcmread is fastdicom.dcmread,
            "spec": fastdicom.config.__spec__.name,
            "sequence": seq_ok,
            "missing": missing,
            "version": pydicom.__version__,
        }))
        """,
    )
    assert got == {
        "dataset": True,
        "config": True,
        "uid": True,
        "dcmread": True,
        "spec": "fastdicom.config",
        "sequence": True,
        "missing": "pydicom.no_such_module",
        "version": "3.0.2",
    }


def test_refused_after_the_real_pydicom_was_imported(run_python):
    out = run_python(
        textwrap.dedent(
            """
            import pydicom, fastdicom
            try:
                fastdicom.install_as_pydicom()
            except RuntimeError as exc:
                print(exc)
            """
        )
    ).stdout
    assert "already imported" in out and "pydicom" in out


def test_highdicom_builds_fastdicom_datasets(run_python):
    got = run_json(
        run_python,
        """
        import json, fastdicom
        fastdicom.install_as_pydicom()
        import highdicom as hd
        from fastdicom.data import get_testdata_file
        concept = hd.sr.CodedConcept(value="121071", scheme_designator="DCM", meaning="Finding")
        uid = hd.UID()
        ct = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
        print(json.dumps({
            "concept": isinstance(concept, fastdicom.Dataset),
            "meaning": concept.CodeMeaning,
            "uid": isinstance(uid, fastdicom.uid.UID) and uid.is_valid,
            "modality": ct.Modality,
        }))
        """,
    )
    assert got == {"concept": True, "meaning": "Finding", "uid": True, "modality": "CT"}


def test_pynetdicom_stores_a_fastdicom_dataset_over_dicom_network(run_python, tmp_path):
    """A C-STORE over loopback between two pynetdicom AEs, both on fastdicom."""
    got = run_json(
        run_python,
        f"""
        import json, fastdicom
        fastdicom.install_as_pydicom()
        from pynetdicom import AE, evt, StoragePresentationContexts
        from pynetdicom.sop_class import CTImageStorage
        from fastdicom.data import get_testdata_file

        received = {{}}
        def on_store(event):
            ds = event.dataset
            received["type"] = type(ds).__module__
            received["name"] = str(ds.PatientName)
            received["rows"] = int(ds.Rows)
            received["pixels"] = len(ds.PixelData)
            return 0x0000

        scp = AE()
        scp.supported_contexts = StoragePresentationContexts
        server = scp.start_server(("127.0.0.1", 0), block=False,
                                  evt_handlers=[(evt.EVT_C_STORE, on_store)])
        port = server.server_address[1]
        scu = AE()
        scu.add_requested_context(CTImageStorage)
        ds = fastdicom.dcmread(get_testdata_file("CT_small.dcm"))
        assoc = scu.associate("127.0.0.1", port)
        status = assoc.send_c_store(ds) if assoc.is_established else None
        if assoc.is_established:
            assoc.release()
        server.shutdown()
        print(json.dumps({{"status": int(status.Status) if status else None,
                          "sent_pixels": len(ds.PixelData), **received}}))
        """,
    )
    assert got["status"] == 0
    assert got["type"].startswith("fastdicom.")
    assert got["name"] == "CompressedSamples^CT1"
    assert got["rows"] == 128 and got["pixels"] == got["sent_pixels"]


def test_an_unbuilt_source_folder_says_it_shadows_the_installed_package(tmp_path):
    """Python started in a checkout imports its unbuilt ``fastdicom/`` folder.

    ``-S`` leaves out site-packages, so an editable install's import hook
    cannot redirect the import: the folder in the working directory is found,
    as it is for a user of a regular install.
    """
    checkout = tmp_path / "checkout"
    (checkout / "src_pyx").mkdir(parents=True)
    (checkout / "fastdicom").mkdir()
    (checkout / "setup.py").write_text("")
    # the package's Python modules, without its compiled ones: an unbuilt source folder
    package_dir = os.path.dirname(fastdicom.__file__)
    for name in os.listdir(package_dir):
        if name.endswith(".py"):
            with open(os.path.join(package_dir, name), encoding="utf-8") as source:
                (checkout / "fastdicom" / name).write_text(source.read())
    result = subprocess.run(
        [sys.executable, "-S", "-c", "import fastdicom"],
        capture_output=True, text=True, cwd=checkout,
    )
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("ImportError:")
    assert os.path.join(str(checkout), "fastdicom") in message
    assert "shadows" in message and "another directory" in message
    assert "build_ext --inplace" in message
