"""``fastdicom dwi DIR -o OUTDIR``: b-values and b-vectors of every diffusion series.

For each diffusion series found under DIR, writes ``OUTDIR/<name>.bval`` and
``OUTDIR/<name>.bvec`` (FSL layout, dcm2niix's conventions; see
:mod:`fastdicom.diffusion`) and, when nibabel is installed and ``--no-nifti``
is not given, ``OUTDIR/<name>.nii.gz``. ``<name>`` is the name
``dcm2niix -f %s_%p`` gives the series: SeriesNumber, ``_``, ProtocolName,
with dcm2niix's character clean-up (:func:`dcm2niix_name`), so that the two
tools' outputs can be compared file by file.
"""


from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

from fastdicom.cli._shared import Progress
from fastdicom.diffusion import series_diffusion, write_fsl
from fastdicom.series import scan

_HELP = """\
For each diffusion series found under DIR, write OUTDIR/<name>.bval and
OUTDIR/<name>.bvec (FSL layout, in dcm2niix's convention) and, when nibabel is
installed, OUTDIR/<name>.nii.gz. <name> is the name 'dcm2niix -f %s_%p' gives
the series (SeriesNumber_ProtocolName, cleaned up as dcm2niix does), so the two
tools' outputs compare file by file. Directions known only from a B-matrix
(sign unknown) are written to <name>.mvec, as dcm2niix names them.

Exit status: 0, or 1 when a diffusion series could not be converted.
"""

# Characters dcm2niix masks in file names (nii_createFilename: Windows-forbidden
# characters and the space), ISO 8859-1 letters it folds to ASCII.
_MASKED = set('\\/ <>:;"*|?')
_LATIN1_FOLD = {}
for _lo, _hi, _ch in ((192, 198, "A"), (199, 199, "C"), (200, 203, "E"), (204, 207, "I"), (208, 208, "D"),
                      (209, 209, "N"), (210, 214, "O"), (215, 215, "x"), (216, 216, "O"), (217, 220, "O"),
                      (221, 221, "Y"), (224, 230, "a"), (231, 231, "c"), (232, 235, "e"), (236, 239, "i"),
                      (240, 240, "o"), (241, 241, "n"), (242, 246, "o"), (248, 248, "o"), (249, 252, "u"),
                      (253, 253, "y"), (255, 255, "y")):
    for _code in range(_lo, _hi + 1):
        _LATIN1_FOLD[chr(_code)] = _ch


def _clean(name: str) -> str:
    out = []
    for ch in name:
        if ch in _MASKED or ord(ch) < 32:
            out.append("_")
        else:
            out.append(_LATIN1_FOLD.get(ch, ch))
    text = "".join(out)
    collapsed: list[str] = []
    for ch in text:  # dcm2niix removes repeated underscores
        if ch == "_" and collapsed and collapsed[-1] == "_":
            continue
        collapsed.append(ch)
    text = "".join(collapsed)
    if not text:
        text = "dcm2nii_invalidName"
    if text.startswith("."):
        text = "_" + text[1:]
    return text


def dcm2niix_name(series: Any) -> str:
    """The base name ``dcm2niix -f %s_%p`` gives a series.

    Parameters
    ----------
    series : fastdicom.series.Series

    Returns
    -------
    str
        ``<SeriesNumber>_<ProtocolName>`` (SeriesDescription when
        ProtocolName is empty), with dcm2niix's suffixes for a second echo
        (``_e2``), phase images (``_ph``) and its character clean-up.
    """
    ds = series.frames[0].dataset
    number = series.number if series.number is not None else 0
    protocol = str(series.protocol_name or ds.get("ProtocolName") or "").strip()
    if not protocol:
        protocol = str(series.description or ds.get("SeriesDescription") or "").strip()
    name = f"{int(number)}_{protocol}"
    echo = ds.get("EchoNumbers")
    try:
        echo_number = int(echo[0] if isinstance(echo, (list, tuple)) else echo) if echo not in (None, "") else 1
    except (TypeError, ValueError):
        echo_number = 1
    if echo_number > 1:
        name += f"_e{echo_number}"
    image_type = [str(v).upper() for v in (ds.get("ImageType") or [])]
    if "P" in image_type[2:] or "PHASE" in image_type:
        name += "_ph"
    return _clean(name)


def _nifti(series: Any, keep: list[int], path: str, reverse_slices: bool = False) -> None:
    """The kept volumes as a NIfTI in dcm2niix's voxel layout.

    i along the row direction, j against the column direction (dcm2niix
    flips rows), k along the slice step of the series; ``reverse_slices``
    runs k the other way (Siemens mosaics whose CSA SliceNormalVector opposes
    row x column, which dcm2niix stacks along that vector)."""
    try:
        import nibabel
    except ImportError as exc:  # optional dependency
        raise ImportError("writing NIfTI needs nibabel: install the 'nibabel' package") from exc
    data = series.volume()
    spatial = data.shape[-3:]
    data = data.reshape((-1,) + spatial)[keep]  # (vol, slice, row, col)
    data = np.ascontiguousarray(np.flip(np.transpose(data, (3, 2, 1, 0)), axis=1))  # (col, row, slice, vol)
    affine = np.asarray(series.affine_ras, dtype=float)
    # index (slice, row, column) -> (i=column, j=rows-1-row, k=slice)
    nrows = spatial[1]
    to_ijk = np.array([[0, 0, 1, 0], [0, -1, 0, nrows - 1], [1, 0, 0, 0], [0, 0, 0, 1]], dtype=float)
    if reverse_slices:
        data = np.ascontiguousarray(data[:, :, ::-1])
        nslices = spatial[0]
        to_ijk = np.array([[0, 0, 1, 0], [0, -1, 0, nrows - 1], [-1, 0, 0, nslices - 1], [0, 0, 0, 1]], dtype=float)
    ijk_affine = affine @ np.linalg.inv(to_ijk)
    image = nibabel.Nifti1Image(data, ijk_affine)
    image.header.set_xyzt_units("mm", "sec")
    nibabel.save(image, path)


def convert_directory(source: str, outdir: str, nifti: bool = True, progress: Any = None,
                      errors: list[str] | None = None) -> list[str]:
    """Write bval/bvec (and NIfTI) for each diffusion series under ``source``.

    Parameters
    ----------
    source : str
        A directory (walked recursively) or a file.
    outdir : str
        Created if missing.
    nifti : bool
        Also write ``<name>.nii.gz`` (needs nibabel).
    progress : callable, optional
        Passed to :func:`fastdicom.series.scan`.
    errors : list of str, optional
        Receives one message per diffusion series that could not be
        converted (the others are still written).

    Returns
    -------
    list of str
        The output prefixes written (path without extension), in series order.
    """
    os.makedirs(outdir, exist_ok=True)
    result = scan(source, progress=progress)
    for failure in result.failures:
        print(f"fastdicom: warning: {failure.path}: {failure.error}", file=sys.stderr)
    written: list[str] = []
    used: set[str] = set()
    # NIfTI files are written on a second thread, one at a time and in series
    # order: their gzip compression (half of a conversion) runs without the
    # GIL, alongside the next series' b-values and decoding
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: list[tuple[str, Future[None]]] = []
        for series in result.series:
            try:
                table = series_diffusion(series)
            except ValueError as exc:  # a damaged private header: record and go on
                message = f"{series.frames[0].path}: {exc}"
                print(f"fastdicom: {message}", file=sys.stderr)
                if errors is not None:
                    errors.append(message)
                continue
            if table is None:
                continue
            base = dcm2niix_name(series)
            name = base
            letter = 0
            while name in used and letter < 26:  # dcm2niix appends a, b, ... on a clash
                name = base + chr(ord("a") + letter)
                letter += 1
            used.add(name)
            prefix = os.path.join(outdir, name)
            write_fsl(table, prefix)
            if table.excluded:
                print(f"fastdicom: {name}: {len(table.excluded)} derived volume(s) left out "
                      f"({table.excluded[0][1]})", file=sys.stderr)
            if table.polarity_unknown:
                print(f"fastdicom: warning: {name}: directions from the B-matrix, polarity unknown", file=sys.stderr)
            if nifti:
                pending.append((name, writer.submit(_nifti, series, table.volumes, prefix + ".nii.gz",
                                                    table.negative_determinant)))
            written.append(prefix)
        for name, future in pending:
            try:
                future.result()
            except ImportError:
                pass  # nibabel is optional: bval/bvec only
            except (ValueError, OSError) as exc:  # pixel data that cannot be decoded
                message = f"{name}: NIfTI not written: {exc}"
                print(f"fastdicom: {message}", file=sys.stderr)
                if errors is not None:
                    errors.append(message)
    return written


def _run(args: argparse.Namespace) -> int:
    errors: list[str] = []
    with Progress("dwi") as progress:
        written = convert_directory(
            args.dir, args.output, nifti=not args.no_nifti, progress=progress.callback, errors=errors
        )
    for prefix in written:
        print(prefix)
    if not written and not errors:
        print(f"fastdicom: no diffusion series under {args.dir}", file=sys.stderr)
    return 1 if errors else 0


def register(commands: Any) -> None:
    """Add the ``dwi`` subcommand.

    Parameters
    ----------
    commands : argparse._SubParsersAction
    """
    parser = commands.add_parser(
        "dwi", help="write .bval/.bvec (and .nii.gz) for each diffusion series under a directory",
        description=_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", help="directory of DICOM files (walked recursively)")
    parser.add_argument("-o", "--output", required=True, help="output directory")
    parser.add_argument("--no-nifti", action="store_true", help="write only .bval/.bvec")
    parser.set_defaults(run=_run)
