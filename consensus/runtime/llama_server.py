"""One llama.cpp server in this process: `python -m consensus.runtime.llama_server --model ...`.

llama.cpp's own HTTP server (`llama-server`: OpenAI-compatible `/v1/chat/completions`, streamed
or not, `/v1/models`), prebuilt inside the `xllamacpp` wheel (the `local` extra), so nothing is
compiled on a user's machine. `local_server.LocalServer` runs one of these per role as a child
process; this module imports nothing of Django or of the rest of the app.

The server answers one request at a time (one slot): a request that arrives while another is
being answered waits for it; a client that goes away ends its answer's generation. Each request
samples with a fresh random seed (llama.cpp's default seed), so two servers, or two questions to
one server, never sample the same tokens by construction.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Sequence

CONTEXT = 2048  # tokens per answer, prompt included: the limit llama-cpp-python's server had
REPEAT_PENALTY = 1.1


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m consensus.runtime.llama_server")
    parser.add_argument("--model", required=True, help="the GGUF file")
    parser.add_argument("--alias", required=True, help="the model id the server answers to")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for generation")
    parser.add_argument("--context", type=int, default=CONTEXT)
    return parser.parse_args(argv)


def serve(args: argparse.Namespace) -> None:
    """Start the server (it listens from its own threads) and block until the process is
    stopped: SIGTERM ends it at once, which is all a supervisor needs of it."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = [args.host]
    params.port = args.port
    params.n_ctx = args.context
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_threads_http = 2
    params.ui = False  # the bundled web UI: the chat page is the app's own
    # llama-cpp-python's server penalised repeats by default (1.1), llama.cpp's does not (1.0):
    # without it SmolLM2 ran to a 600-token limit in 13 of 16 answers, with it in 6 of 16
    # (docs/local-model.md). A request's own `repeat_penalty` still wins.
    params.sampling.penalty_repeat = REPEAT_PENALTY
    # Flash attention ("auto": on, on a CPU) slowed long answers: forced to 1,950 tokens 43
    # tokens/s with it, 56 without; 200-token answers alike (docs/local-model.md).
    params.flash_attn_type = xllamacpp.llama_flash_attn_type.LLAMA_FLASH_ATTN_TYPE_DISABLED
    server = xllamacpp.Server(params)
    print(f"llama.cpp server for {args.alias} on {server.listening_address}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    serve(parse_args())
