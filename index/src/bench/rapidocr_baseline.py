"""RapidOCR on the same PP-OCRv4 ONNX models as ours: the baseline beside `archivedesk bench ocr`
and the reference the OCR parity test compares our lines with.

    python rapidocr_baseline.py IMAGE...

Runs rapidocr_onnxruntime with its defaults (PP-OCRv4 detection and recognition; the 180-degree
classifier off, as ours has none) on each image, given by path so that RapidOCR decodes it
itself, and prints one JSON object on stdout:

    {"engine": "rapidocr_onnxruntime 1.4.4", "onnxruntime": "1.32.0", "threads": null,
     "load_seconds": 0.41,
     "pages": [{"file": "a.jpg", "seconds": 0.83,
                "lines": [{"text": "...", "score": 0.99,
                           "box": [[x, y], [x, y], [x, y], [x, y]]}]}],
     "peak_rss_mb": 312.5}

"threads" is onnxruntime's intra-op thread count when RapidOCR sets one, else null (onnxruntime's
own default). "seconds" covers the engine call alone, decoding included. "peak_rss_mb" is the
process's peak resident set at the end. Everything else (RapidOCR's logging, onnxruntime's
warnings) goes to stderr.

The venv that .ci/setup makes, /var/cache/archivedesk-tools/rapidocr-venv, has the pinned packages.
"""

import json
import os
import resource
import sys
import time
from importlib import metadata


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2

    # Keep stdout for the JSON alone: whatever writes to file descriptor 1 from here on, Python or
    # native code, lands on stderr.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import onnxruntime
    from rapidocr_onnxruntime import RapidOCR

    start = time.perf_counter()
    engine = RapidOCR()
    load_seconds = time.perf_counter() - start

    pages = []
    for path in paths:
        start = time.perf_counter()
        result, _elapsed = engine(path, use_det=True, use_cls=False, use_rec=True)
        seconds = time.perf_counter() - start
        lines = [
            {
                "text": str(text),
                "score": float(score),
                "box": [[float(x), float(y)] for x, y in box],
            }
            for box, text, score in (result or [])
        ]
        pages.append({"file": path, "seconds": seconds, "lines": lines})

    peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "engine": f"rapidocr_onnxruntime {metadata.version('rapidocr_onnxruntime')}",
        "onnxruntime": onnxruntime.__version__,
        "threads": intra_op_threads(engine),
        "load_seconds": load_seconds,
        "pages": pages,
        "peak_rss_mb": peak_rss_kb / 1024.0,
    }
    json.dump(report, out, ensure_ascii=False)
    out.write("\n")
    out.flush()
    return 0


def intra_op_threads(engine):
    """The detector session's intra-op thread count, or None where onnxruntime picks it (0)."""
    try:
        options = engine.text_det.infer.session.get_session_options()
        return options.intra_op_num_threads or None
    except AttributeError:
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
