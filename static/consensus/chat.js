/* Chat page of the legal assistant: streams /api/consensus/stream over fetch + an SSE parser.
 *
 * Model and user text only ever reaches the DOM through textContent / createTextNode (a tiny
 * Markdown subset is built from DOM nodes, never from HTML strings), so markup in a prompt or an
 * answer is shown, not run. No dependencies, no build step.
 */
(() => {
  "use strict";

  // --- Strings ---------------------------------------------------------------------------------

  const STRINGS = {
    id: {
      skip: "Langsung ke kolom pertanyaan",
      title: "Asisten Hukum",
      tagline: "Jawaban cepat yang diperiksa oleh model kedua",
      newChat: "Percakapan baru",
      conversation: "Percakapan",
      welcomeTitle: "Tanyakan soal hukum Indonesia",
      welcomeLead: "Jawaban mulai muncul seketika. Sementara itu, model kedua yang lebih teliti memeriksanya.",
      step1: "Model cepat langsung menulis jawaban.",
      step2: "Model validator menjawab pertanyaan yang sama dan membandingkannya.",
      step3: "Bila berbeda, jawaban dikoreksi dan kedua versi bisa Anda bandingkan.",
      examplesTitle: "Coba tanyakan",
      ex1: "Apa hukuman untuk pencurian motor?",
      ex2: "Berapa lama cuti melahirkan bagi pekerja perempuan?",
      ex3: "Apa syarat sahnya perjanjian menurut KUHPerdata?",
      modelsFast: "Model cepat",
      modelsValidator: "Validator",
      jump: "Ke jawaban terbaru",
      promptLabel: "Pertanyaan Anda",
      placeholder: "Tulis pertanyaan hukum Anda…",
      send: "Kirim",
      stop: "Berhenti",
      hint: "Enter untuk mengirim · Shift+Enter untuk baris baru · Esc untuk berhenti",
      disclaimer: "Informasi umum, bukan nasihat hukum. Untuk perkara Anda, konsultasikan dengan advokat atau LBH.",
      you: "Anda",
      assistant: "Asisten",
      legendDel: "dihapus",
      legendIns: "ditambahkan",
      originalTitle: "Jawaban awal · model cepat",
      correctedTitle: "Jawaban terkoreksi · validator",
      retry: "Coba lagi",
      compareShow: "Bandingkan kedua versi",
      compareHide: "Sembunyikan perbandingan",
      "state.waiting": "Menunggu jawaban…",
      "state.validating": "Memvalidasi…",
      "state.verified": "Terverifikasi",
      "state.corrected": "Dikoreksi",
"state.unvalidated": "Belum divalidasi",
      "state.error": "Gagal",
      "state.aborted": "Dihentikan",
      confidence: "keyakinan {pct}",
      ttft: "Token pertama {s}",
      total: "Total {s}",
      seconds: "{n} dtk",
      answeredBy: "menjawab",
      checked: "memeriksa",
      "note.validating": "Validator sedang memeriksa jawaban ini.",
      "note.verified": "Validator memberi jawaban yang sejalan (kemiripan {pct}).",
      "note.corrected.low_similarity": "Jawaban validator jauh berbeda (kemiripan {pct}), jadi jawaban awal diganti dengan versi validator.",
      "note.corrected.fact_conflict": "Kedua model menyebut fakta yang berbeda, jadi jawaban awal diganti dengan versi validator.",
      "note.corrected.fast_model_failed": "Model cepat gagal menjawab, jadi jawaban ini berasal dari validator.",
      "note.corrected.other": "Jawaban awal diganti dengan versi validator.",
      "note.timeout": "Validator tidak menjawab dalam {s}. Ini jawaban model cepat saja dan belum diperiksa.",
      "note.validatorError": "Validator tidak dapat memeriksa jawaban ini. Ini jawaban model cepat saja.",
      "note.fallback": "Model cepat tidak tersedia, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "note.aborted": "Anda menghentikan jawaban ini. Teks di atas belum lengkap dan belum divalidasi.",
      "note.empty": "(jawaban kosong)",
      conflictsTitle: "Model tidak sepakat tentang:",
      "kind.article": "pasal",
      "kind.law": "undang-undang",
      "kind.duration": "jangka waktu",
      "kind.money": "jumlah uang",
      "kind.percentage": "persentase",
      "kind.age": "batas usia",
      "kind.count": "jumlah",
      "kind.modality": "sifat kewajiban (wajib/boleh/dilarang)",
      "kind.institution": "lembaga",
      "kind.other": "fakta lain",
      fastSaid: "model cepat",
      validatorSaid: "validator",
      technical: "Detail teknis",
      "error.network": "Tidak dapat terhubung ke server. Periksa koneksi internet Anda, lalu coba lagi.",
      "error.cut": "Koneksi terputus sebelum jawaban selesai. Silakan coba lagi.",
      "error.http_error": "Layanan model sedang bermasalah dan tidak dapat menjawab sekarang. Silakan coba lagi sebentar lagi.",
      "error.timeout": "Model tidak merespons tepat waktu. Silakan coba lagi.",
      "error.connection_error": "Server tidak dapat terhubung ke layanan model. Silakan coba lagi.",
      "error.stream_error": "Layanan model menghentikan jawaban di tengah jalan. Silakan coba lagi.",
      "error.protocol_error": "Layanan model mengirim jawaban yang tidak dapat dibaca. Silakan coba lagi.",
      "error.internal_error": "Terjadi kesalahan di server; kejadian ini sudah dicatat. Silakan coba lagi.",
      "error.models_unavailable": "Kedua model sedang tidak dapat menjawab. Silakan coba lagi sebentar lagi.",
      "error.rate_limited": "Terlalu banyak pertanyaan dalam waktu singkat.",
      "error.csrf": "Sesi keamanan halaman ini kedaluwarsa. Muat ulang halaman, lalu coba lagi.",
      "error.not_configured": "Layanan belum dikonfigurasi: kunci API model belum diatur oleh pengelola.",
      "error.unauthorized": "Layanan ini memerlukan login atau token akses.",
      "error.invalid": "Pertanyaan ini tidak dapat diproses.",
      "error.generic": "Terjadi kesalahan. Silakan coba lagi.",
      "announce.verified": "Jawaban terverifikasi, keyakinan {pct}.",
      "announce.corrected": "Jawaban dikoreksi oleh validator, keyakinan {pct}.",
      "announce.unvalidated": "Jawaban selesai, tetapi belum divalidasi.",
      "announce.error": "Gagal: {msg}",
      "announce.aborted": "Jawaban dihentikan.",
      "note.validatingFor": "Jawaban model cepat selesai. Validator sedang memeriksanya… {s}",
      "note.supplement": "Validator sejalan dengan jawaban ini dan menambahkan:",
      addedTitle: "Validator menambahkan:",
      mergedSummary: "Lihat jawaban gabungan",
      "source.fast": "jawaban cepat",
      "source.validator": "validator",
      "fallback.circuit_open": "Model cepat sedang diistirahatkan karena gagal beberapa kali berturut-turut, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.rate_limited": "Model cepat sedang membatasi permintaan, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.server_error": "Layanan model cepat sedang bermasalah, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.rejected": "Model cepat menolak permintaan ini, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.timeout": "Model cepat tidak merespons tepat waktu, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.first_token_timeout": "Model cepat tidak mulai menjawab tepat waktu, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.connection_error": "Server tidak dapat terhubung ke model cepat, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.empty_answer": "Model cepat mengirim jawaban kosong, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.run_timeout": "Batas waktu habis sebelum model cepat menjawab, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "fallback.stream": "Model cepat terhenti sebelum menjawab, jadi validator yang menjawab. Jawaban ini tidak diperiksa model kedua.",
      "kind.conclusion": "kesimpulan",
      "kind.penalty_incomplete": "ancaman pidana tidak lengkap (penjara tanpa denda)",
      "kind.penalty_combination": "ancaman pidana (penjara dan denda, atau salah satunya)",
      "kind.share": "bagian (pembagian)",
      "error.models_unavailable.circuit_open": "Model cepat sedang diistirahatkan setelah gagal berulang kali, dan validator juga tidak dapat menjawab sekarang. Silakan coba lagi sebentar lagi.",
      "error.too_many_streams": "Anda masih punya jawaban lain yang sedang berjalan.",
      "error.shutting_down": "Server sedang dimulai ulang.",
      "error.too_large": "Pertanyaan ini terlalu panjang.",
      "wait.left": "Anda bisa mencoba lagi dalam {s}.",
      "wait.over": "Silakan coba lagi sekarang.",
      "wait.unknown": "Tunggu sebentar, lalu coba lagi.",
      feedbackQuestion: "Apakah jawaban ini membantu?",
      helpful: "Membantu",
      notHelpful: "Tidak membantu",
      commentLabel: "Komentar (opsional)",
      commentSend: "Kirim komentar",
      feedbackThanks: "Terima kasih atas masukan Anda.",
      feedbackFailed: "Masukan tidak terkirim. Coba lagi.",
      "announce.verified.plain": "Jawaban terverifikasi.",
      validatorsTitle: "Pemeriksaan tiap validator:",
      "verdict.agree": "sejalan",
      "verdict.supplement": "sejalan dan menambahkan fakta",
      "verdict.conflict": "tidak sejalan",
      "verdict.similarity": "kemiripan {pct}",
      "verdict.majority": "ikut mayoritas",
      "verdict.outvoted": "kalah suara",
      "verdict.decided": "menentukan hasil",
      "verdict.timeout": "tidak menjawab tepat waktu",
      "verdict.error": "tidak dapat memeriksa",
    },
    en: {
      skip: "Skip to the question box",
      title: "Legal Assistant",
      tagline: "Fast answers, checked by a second model",
      newChat: "New conversation",
      conversation: "Conversation",
      welcomeTitle: "Ask about Indonesian law",
      welcomeLead: "The answer starts at once. Meanwhile a second, more careful model checks it.",
      step1: "A fast model starts writing the answer right away.",
      step2: "A validator model answers the same question and compares.",
      step3: "If they differ, the answer is corrected and you can compare both versions.",
      examplesTitle: "Try asking",
      ex1: "What is the penalty for motorcycle theft?",
      ex2: "How long is maternity leave for female workers?",
      ex3: "What makes a contract valid under the Indonesian Civil Code?",
      modelsFast: "Fast model",
      modelsValidator: "Validator",
      jump: "Jump to the latest answer",
      promptLabel: "Your question",
      placeholder: "Type your legal question…",
      send: "Send",
      stop: "Stop",
      hint: "Enter to send · Shift+Enter for a new line · Esc to stop",
      disclaimer: "General information, not legal advice. For your own case, consult an advocate or a legal aid office (LBH).",
      you: "You",
      assistant: "Assistant",
      legendDel: "removed",
      legendIns: "added",
      originalTitle: "Original answer · fast model",
      correctedTitle: "Corrected answer · validator",
      retry: "Try again",
      compareShow: "Compare both versions",
      compareHide: "Hide comparison",
      "state.waiting": "Waiting for the answer…",
      "state.validating": "Validating…",
      "state.verified": "Verified",
      "state.corrected": "Corrected",
"state.unvalidated": "Not validated",
      "state.error": "Failed",
      "state.aborted": "Stopped",
      confidence: "confidence {pct}",
      ttft: "First token {s}",
      total: "Total {s}",
      seconds: "{n} s",
      answeredBy: "answered",
      checked: "checked",
      "note.validating": "The validator is checking this answer.",
      "note.verified": "The validator gave a matching answer (similarity {pct}).",
      "note.corrected.low_similarity": "The validator's answer was very different (similarity {pct}), so it replaced the original answer.",
      "note.corrected.fact_conflict": "The two models stated different facts, so the validator's answer replaced the original.",
      "note.corrected.fast_model_failed": "The fast model failed to answer, so this answer comes from the validator.",
      "note.corrected.other": "The validator's answer replaced the original answer.",
      "note.timeout": "The validator did not answer within {s}. This is the fast model's answer only, unchecked.",
      "note.validatorError": "The validator could not check this answer. This is the fast model's answer only.",
      "note.fallback": "The fast model was unavailable, so the validator answered. No second model checked this answer.",
      "note.aborted": "You stopped this answer. The text above is incomplete and was not validated.",
      "note.empty": "(empty answer)",
      conflictsTitle: "The models disagree on:",
      "kind.article": "the article",
      "kind.law": "the law",
      "kind.duration": "the duration",
      "kind.money": "the amount of money",
      "kind.percentage": "the percentage",
      "kind.age": "the age limit",
      "kind.count": "the number",
      "kind.modality": "whether it is required, allowed or forbidden",
      "kind.institution": "the institution",
      "kind.other": "another fact",
      fastSaid: "fast model",
      validatorSaid: "validator",
      technical: "Technical details",
      "error.network": "Cannot reach the server. Check your internet connection, then try again.",
      "error.cut": "The connection dropped before the answer was finished. Please try again.",
      "error.http_error": "The model service is having problems and cannot answer right now. Please try again shortly.",
      "error.timeout": "The model did not respond in time. Please try again.",
      "error.connection_error": "The server could not reach the model service. Please try again.",
      "error.stream_error": "The model service stopped in the middle of the answer. Please try again.",
      "error.protocol_error": "The model service sent an answer that could not be read. Please try again.",
      "error.internal_error": "Something went wrong on the server; it has been recorded. Please try again.",
      "error.models_unavailable": "Neither model can answer right now. Please try again shortly.",
      "error.rate_limited": "Too many questions in a short time.",
      "error.csrf": "This page's security session expired. Reload the page, then try again.",
      "error.not_configured": "The service is not configured yet: the model API keys are missing.",
      "error.unauthorized": "This service requires a login or an access token.",
      "error.invalid": "This question cannot be processed.",
      "error.generic": "Something went wrong. Please try again.",
      "announce.verified": "Answer verified, confidence {pct}.",
      "announce.corrected": "Answer corrected by the validator, confidence {pct}.",
      "announce.unvalidated": "Answer finished, but not validated.",
      "announce.error": "Failed: {msg}",
      "announce.aborted": "Answer stopped.",
      "note.validatingFor": "The fast answer is finished. The validator is checking it… {s}",
      "note.supplement": "The validator agrees with this answer and adds:",
      addedTitle: "The validator adds:",
      mergedSummary: "Show the merged answer",
      "source.fast": "fast answer",
      "source.validator": "validator",
      "fallback.circuit_open": "The fast model is paused after failing several times in a row, so the validator answered. No second model checked this answer.",
      "fallback.rate_limited": "The fast model is limiting requests, so the validator answered. No second model checked this answer.",
      "fallback.server_error": "The fast model's service is having problems, so the validator answered. No second model checked this answer.",
      "fallback.rejected": "The fast model refused this request, so the validator answered. No second model checked this answer.",
      "fallback.timeout": "The fast model did not respond in time, so the validator answered. No second model checked this answer.",
      "fallback.first_token_timeout": "The fast model did not start answering in time, so the validator answered. No second model checked this answer.",
      "fallback.connection_error": "The server could not reach the fast model, so the validator answered. No second model checked this answer.",
      "fallback.empty_answer": "The fast model sent an empty answer, so the validator answered. No second model checked this answer.",
      "fallback.run_timeout": "Time ran out before the fast model answered, so the validator answered. No second model checked this answer.",
      "fallback.stream": "The fast model stopped before answering, so the validator answered. No second model checked this answer.",
      "kind.conclusion": "the conclusion",
      "kind.penalty_incomplete": "an incomplete penalty (prison term without the fine)",
      "kind.penalty_combination": "whether prison and the fine are given together or either",
      "kind.share": "the share",
      "error.models_unavailable.circuit_open": "The fast model is paused after failing repeatedly, and the validator cannot answer right now either. Please try again shortly.",
      "error.too_many_streams": "You still have another answer in progress.",
      "error.shutting_down": "The server is restarting.",
      "error.too_large": "This question is too long.",
      "wait.left": "You can try again in {s}.",
      "wait.over": "You can try again now.",
      "wait.unknown": "Wait a moment, then try again.",
      feedbackQuestion: "Was this answer helpful?",
      helpful: "Helpful",
      notHelpful: "Not helpful",
      commentLabel: "Comment (optional)",
      commentSend: "Send comment",
      feedbackThanks: "Thank you for your feedback.",
      feedbackFailed: "Feedback not sent. Try again.",
      "announce.verified.plain": "Answer verified.",
      validatorsTitle: "Each validator's check:",
      "verdict.agree": "agrees",
      "verdict.supplement": "agrees and adds facts",
      "verdict.conflict": "disagrees",
      "verdict.similarity": "similarity {pct}",
      "verdict.majority": "with the majority",
      "verdict.outvoted": "outvoted",
      "verdict.decided": "decided the result",
      "verdict.timeout": "did not answer in time",
      "verdict.error": "could not check",
    },
  };
  const CONFLICT_KINDS = [
    "article", "law", "duration", "money", "percentage", "share", "age", "count", "modality", "institution",
    "conclusion", "penalty_incomplete", "penalty_combination",
  ];
  const FALLBACK_REASONS = [
    "circuit_open", "rate_limited", "server_error", "rejected", "timeout", "first_token_timeout", "connection_error",
    "empty_answer", "run_timeout",
  ];

  const app = document.getElementById("app");
  const $ = (id) => document.getElementById(id);
  const els = {
    conversation: $("conversation"), turns: $("turns"), welcome: $("welcome"), form: $("composer"),
    prompt: $("prompt"), send: $("send"), stop: $("stop"), jump: $("jump"), announcer: $("announcer"),
    newChat: $("new-chat"), template: $("turn-template"),
  };
  const config = {
    streamUrl: app.dataset.streamUrl,
    runUrl: (id, tail) => app.dataset.runUrl.replace("00000000-0000-0000-0000-000000000000", id) + tail,
    maxHistoryMessages: Number(app.dataset.maxHistoryMessages) || 40,
    maxHistoryChars: Number(app.dataset.maxHistoryChars) || 32000,
  };
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  let lang = "id";
  const t = (key, vars) => {
    let text = STRINGS[lang][key] ?? STRINGS.id[key] ?? key;
    for (const [name, value] of Object.entries(vars || {})) text = text.split(`{${name}}`).join(value);
    return text;
  };
  const locale = () => (lang === "id" ? "id-ID" : "en-GB");
  const pct = (x) => new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(x);
  const secs = (x) => t("seconds", {
    n: new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x),
  });
  /** A configured or counted duration: "10 dtk", "1,5 dtk" (no zeros that say nothing). */
  const wholeSecs = (x) => t("seconds", { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(x) });

  // --- Server-Sent Events over fetch -------------------------------------------------------------

  /** Yield {event, data, id} per the WHATWG parsing rules (CRLF/LF/CR, comments, multi-line data). */
  async function* readEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "", data = [], type = "", lastId = "", first = true;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
        if (first && buffer) { if (buffer[0] === "\ufeff") buffer = buffer.slice(1); first = false; }
        let start = 0;
        for (let i = 0; i < buffer.length; i++) {
          const c = buffer[i];
          if (c !== "\n" && c !== "\r") continue;
          if (c === "\r" && i + 1 === buffer.length && !done) break; // a \n may follow in the next chunk
          const line = buffer.slice(start, i);
          if (c === "\r" && buffer[i + 1] === "\n") i++;
          start = i + 1;
          if (line === "") {
            if (data.length) yield { event: type || "message", data: data.join("\n"), id: lastId };
            data = []; type = "";
          } else if (line[0] !== ":") {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            let val = colon < 0 ? "" : line.slice(colon + 1);
            if (val[0] === " ") val = val.slice(1);
            if (field === "data") data.push(val);
            else if (field === "event") type = val;
            else if (field === "id" && !val.includes("\0")) lastId = val;
          }
        }
        buffer = buffer.slice(start);
        if (done) return; // an event without its blank line is dropped, as the spec says
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  function csrfToken() {
    const cookie = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Safe Markdown subset: paragraphs, line breaks, lists, headings, **bold**, *italic*, `code` -

  const INLINE = /(\*\*[^*\n]+?\*\*|`[^`\n]+`|\*[^*\s\n](?:[^*\n]*?[^*\s\n])?\*)/;

  function appendInline(parent, text) {
    for (const part of text.split(INLINE)) {
      if (!part) continue;
      let node;
      if (part.startsWith("**") && part.endsWith("**") && part.length > 4) {
        node = document.createElement("strong"); node.textContent = part.slice(2, -2);
      } else if (part.startsWith("`") && part.endsWith("`") && part.length > 2) {
        node = document.createElement("code"); node.textContent = part.slice(1, -1);
      } else if (part.startsWith("*") && part.endsWith("*") && part.length > 2) {
        node = document.createElement("em"); node.textContent = part.slice(1, -1);
      } else {
        node = document.createTextNode(part);
      }
      parent.appendChild(node);
    }
  }

  const BULLET = /^\s*[-*•]\s+/;
  const NUMBERED = /^\s*(\d{1,3})[.)]\s+/;
  const HEADING = /^\s*#{1,4}\s+/;

  /** One block of source (no blank lines outside fences) -> a fragment of safe elements. */
  function renderBlock(source) {
    const fragment = document.createDocumentFragment();
    const lines = source.split("\n");
    let list = null, listKind = "", para = null;
    const closeAll = () => { list = null; listKind = ""; para = null; };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^\s*```/.test(line)) {
        closeAll();
        const pre = document.createElement("pre"), code = document.createElement("code");
        const body = [];
        for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) body.push(lines[i]);
        code.textContent = body.join("\n");
        pre.appendChild(code); fragment.appendChild(pre);
        continue;
      }
      const bullet = BULLET.exec(line), numbered = NUMBERED.exec(line);
      if (bullet || numbered) {
        const kind = bullet ? "ul" : "ol";
        if (listKind !== kind) {
          list = document.createElement(kind); listKind = kind; para = null;
          if (numbered && numbered[1] !== "1") list.start = Number(numbered[1]);
          fragment.appendChild(list);
        }
        const item = document.createElement("li");
        appendInline(item, line.slice((bullet || numbered)[0].length));
        list.appendChild(item);
      } else if (HEADING.test(line)) {
        closeAll();
        const heading = document.createElement("p");
        heading.className = "md-heading";
        const strong = document.createElement("strong");
        appendInline(strong, line.replace(HEADING, ""));
        heading.appendChild(strong); fragment.appendChild(heading);
      } else if (list && /^\s{2,}\S/.test(line)) {
        list.lastChild.appendChild(document.createElement("br"));
        appendInline(list.lastChild, line.trim());
      } else {
        list = null; listKind = "";
        if (para) para.appendChild(document.createElement("br"));
        else { para = document.createElement("p"); fragment.appendChild(para); }
        appendInline(para, line);
      }
    }
    return fragment;
  }

  /** Split at blank lines that are not inside a ``` fence. */
  function splitBlocks(text) {
    const blocks = [];
    let current = [], fenced = false;
    for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
      if (/^\s*```/.test(line)) fenced = !fenced;
      if (!fenced && line.trim() === "") {
        if (current.length) { blocks.push(current.join("\n")); current = []; }
      } else current.push(line);
    }
    blocks.push(current.join("\n"));
    return blocks;
  }

  /** While text is still arriving, hold back a half-typed marker and close open ones, so that
   * `**bold` shows bold at once instead of asterisks that vanish a moment later (a visible jump). */
  function settleTail(source) {
    let text = source.replace(/[*`]+$/, "");
    const lines = text.split("\n");
    if (/^\s*(?:[-*•]|\d{1,3}[.)]?|#{1,4}|`{1,3})\s*$/.test(lines[lines.length - 1])) lines.pop();
    text = lines.join("\n");
    if (((text.match(/\*\*/g) || []).length) % 2) text += "**";
    if (((text.match(/`/g) || []).length) % 2) text += "`";
    const singles = text.replace(/\*\*/g, "").replace(/^\s*\*\s/gm, "").match(/\*(?=\S)|(?<=\S)\*/g) || [];
    if (singles.length % 2) text += "*";
    return text;
  }

  /** The answer area: reveals streamed text a few characters per frame, touching only the last block. */
  class AnswerView {
    constructor(el, onPaint) {
      this.el = el; this.onPaint = onPaint;
      this.target = ""; this.shown = 0; this.frame = 0; this.open = false;
      this.blocks = []; // [{source, node}]
    }
    reset() { cancelAnimationFrame(this.frame); this.frame = 0; this.target = ""; this.shown = 0; this.open = true; this.blocks = []; this.el.replaceChildren(); }
    /** No more text will arrive: show everything, with nothing held back. */
    close() { this.open = false; this.flush(); }
    append(text) { this.target += text; this.schedule(); }
    /** Replace the whole text (a correction, or the authoritative final content). */
    replace(text) {
      if (text === this.target) { this.flush(); return; }
      this.open = false; this.target = text; this.shown = text.length; this.blocks = []; this.el.replaceChildren(); this.paint();
    }
    flush() { this.shown = this.target.length; this.paint(); }
    schedule() { if (!this.frame) this.frame = requestAnimationFrame(() => this.tick()); }
    tick() {
      this.frame = 0;
      const backlog = this.target.length - this.shown;
      if (backlog <= 0) return;
      // Typewriter pace that never lags far behind: a sixth of the backlog per frame, at least 3.
      let step = reducedMotion.matches || document.hidden ? backlog : Math.max(3, Math.ceil(backlog / 6));
      let next = Math.min(this.target.length, this.shown + step);
      const code = this.target.charCodeAt(next - 1);
      if (code >= 0xd800 && code <= 0xdbff && next < this.target.length) next++; // keep surrogate pairs whole
      this.shown = next;
      this.paint();
      if (this.shown < this.target.length) this.schedule();
    }
    paint() {
      const sources = splitBlocks(this.target.slice(0, this.shown));
      if (this.open) sources[sources.length - 1] = settleTail(sources[sources.length - 1]);
      for (let i = 0; i < sources.length; i++) {
        const known = this.blocks[i];
        if (known && known.source === sources[i]) continue;
        const node = document.createElement("div");
        node.className = "md-block";
        node.appendChild(renderBlock(sources[i]));
        if (known) this.el.replaceChild(node, known.node); else this.el.appendChild(node);
        this.blocks[i] = { source: sources[i], node };
      }
      while (this.blocks.length > sources.length) this.blocks.pop().node.remove();
      this.onPaint();
    }
  }

  // --- Word diff (client-side, LCS over words) -----------------------------------------------------

  const wordKey = (w) => w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const cleanWord = (w) => w.replace(/\*\*|`/g, "");

  function wordDiff(before, after) {
    const a = before.split(/\s+/).filter(Boolean), b = after.split(/\s+/).filter(Boolean);
    const ka = a.map(wordKey), kb = b.map(wordKey);
    const n = a.length, m = b.length;
    if (n * m > 2_000_000) { // too long for a table: everything differs except the common ends
      return [...a.map((w) => ["del", w]), ...b.map((w) => ["ins", w])];
    }
    const table = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * (m + 1) + j] = ka[i] === kb[j]
          ? table[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
      }
    }
    const ops = [];
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (ka[i] === kb[j]) { ops.push(["same", a[i], b[j]]); i++; j++; }
      else if (table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) ops.push(["del", a[i++]]);
      else ops.push(["ins", b[j++]]);
    }
    while (i < n) ops.push(["del", a[i++]]);
    while (j < m) ops.push(["ins", b[j++]]);
    return ops;
  }

  /** Both versions as text, with runs of removed words in <del> and added words in <ins>. */
  function renderDiff(originalEl, correctedEl, before, after) {
    const left = [], right = []; // runs: [tag | null, words[]]
    const put = (runs, tag, word) => {
      const last = runs[runs.length - 1];
      if (last && last[0] === tag) last[1].push(cleanWord(word)); else runs.push([tag, [cleanWord(word)]]);
    };
    for (const [op, word, other] of wordDiff(before, after)) {
      if (op === "same") { put(left, null, word); put(right, null, other); }
      else if (op === "del") put(left, "del", word);
      else put(right, "ins", word);
    }
    const build = (runs) => {
      const fragment = document.createDocumentFragment();
      runs.forEach(([tag, words], index) => {
        if (index) fragment.appendChild(document.createTextNode(" "));
        const text = words.join(" ");
        if (!tag) { fragment.appendChild(document.createTextNode(text)); return; }
        const mark = document.createElement(tag);
        mark.textContent = text;
        fragment.appendChild(mark);
      });
      return fragment;
    };
    originalEl.replaceChildren(build(left));
    correctedEl.replaceChildren(build(right));
  }

  // --- Scrolling: follow the stream until the reader scrolls up -----------------------------------

  const scroller = els.conversation;
  let stick = true, lastTop = 0;
  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  function followStream() {
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    updateJump();
  }
  /** The jump button is offered while an answer streams below a reader who scrolled up. */
  function updateJump() { els.jump.hidden = stick || !active || atBottom(); }
  scroller.addEventListener("scroll", () => {
    const top = scroller.scrollTop;
    if (top < lastTop - 2) stick = false; // moving up is always the reader: we only scroll down
    if (atBottom()) stick = true;
    lastTop = top;
    updateJump();
  }, { passive: true });
  els.jump.addEventListener("click", () => {
    stick = true;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: reducedMotion.matches ? "auto" : "smooth" });
    els.prompt.focus();
  });

  // --- Turns -------------------------------------------------------------------------------------

  const turns = [];
  let active = null; // {turn, controller}
  const FINISHED = ["verified", "corrected", "unvalidated", "error", "aborted"];
  // What a turn keeps across a reload (sessionStorage), besides its question and answer text.
  const KEPT = [
    "state", "runId", "lastId", "roles", "answeredBy", "final", "confidence", "similarity", "validated",
    "outcome", "added", "merged", "reason", "original", "corrected", "conflicts", "note", "errorKey", "errorDetail",
    "ttft", "total", "fallback", "timeoutSeconds", "started", "fastDoneAt", "retryAt", "feedback",
    "extras", "verdicts", "panel",
  ];

  class Turn {
    constructor(question, history) {
      this.question = question; this.history = history;
      this.li = els.template.content.firstElementChild.cloneNode(true);
      this.q = (role) => this.li.querySelector(`[data-role="${role}"]`);
      this.q("question").textContent = question;
      this.answer = new AnswerView(this.q("answer"), followStream);
      this.compareButton = this.li.querySelector('[data-action="compare"]');
      this.retryButton = this.li.querySelector('[data-action="retry"]');
      this.compareButton.addEventListener("click", () => this.toggleCompare());
      this.retryButton.addEventListener("click", () => ask(this));
      const compareId = `compare-${Math.random().toString(36).slice(2, 10)}`;
      this.q("compare").id = compareId;
      this.compareButton.setAttribute("aria-controls", compareId);
      for (const button of this.li.querySelectorAll("[data-helpful]")) {
        button.addEventListener("click", () => this.sendFeedback(button.dataset.helpful === "true", null));
      }
      this.q("feedback-form").addEventListener("submit", (event) => {
        event.preventDefault();
        if (this.feedback) this.sendFeedback(this.feedback.helpful, this.q("feedback-comment").value);
      });
      this.q("feedback-comment").id = `comment-${compareId}`;
      this.q("feedback-comment-label").htmlFor = `comment-${compareId}`;
      translateWithin(this.li);
      this.reset();
    }
    reset() {
      Object.assign(this, {
        state: "waiting", runId: "", lastId: "", roles: null, answeredBy: "groq", final: null, confidence: null,
        similarity: null, validated: false, outcome: "", added: [], merged: [], reason: "", original: "", corrected: "",
        conflicts: [], note: null, errorKey: "", errorDetail: "", ttft: null, total: null, fallback: null,
        timeoutSeconds: null, started: Date.now(), fastDoneAt: null, retryAt: null, feedback: null,
        feedbackStatus: "",
        // With extra validators (start.validators): their names, each validator's verdict as a
        // row (the first validator's too), and complete.validators (how they voted).
        extras: [], verdicts: [], panel: null,
      });
      this.answer.reset();
      this.q("compare").hidden = true;
      this.compareButton.setAttribute("aria-expanded", "false");
      this.render();
    }
    set(changes) { Object.assign(this, changes); this.render(); }
    get finished() { return FINISHED.includes(this.state); }
    snapshot() {
      const kept = { question: this.question, text: this.answer.target };
      for (const key of KEPT) kept[key] = this[key];
      return kept;
    }
    static restore(kept) {
      const turn = new Turn(String(kept.question || ""), []);
      for (const key of KEPT) if (key in kept) turn[key] = kept[key];
      turn.answer.replace(String(kept.text || ""));
      if (!turn.finished) turn.answer.open = true;
      turn.render();
      return turn;
    }

    handle(event) {
      switch (event.type) {
        case "start":
          this.set({
            runId: event.run_id || this.runId, roles: event.roles || null, models: event.models || [],
            extras: listOf(event.validators),
          });
          break;
        case "token":
          if (this.ttft === null) this.ttft = (Date.now() - this.started) / 1000;
          if (event.model) this.answeredBy = event.model;
          this.answer.append(String(event.content ?? ""));
          if (this.state === "waiting") this.set({ state: "validating" }); else this.renderTimings();
          break;
        case "groq_complete":
          if (typeof event.content === "string" && event.content !== this.answer.target) this.answer.replace(event.content);
          else this.answer.close();
          this.set({ state: "validating", fastDoneAt: Date.now() });
          break;
        case "fallback":
          this.answer.reset();
          this.set({ fallback: { reason: String(event.reason || ""), message: String(event.message || "") }, answeredBy: "byteplus" });
          break;
        // With extra validators these describe the first validator only, which the majority may
        // overrule: kept as its row until `complete` says who decided (see decide()).
        case "byteplus_complete":
          if (this.extras.length) { this.addVerdict(this.firstRow("answered", event)); break; }
          this.set({
            similarity: event.similarity ?? null, conflicts: listOf(event.conflicts), validated: true,
            outcome: String(event.outcome || ""), added: listOf(event.added), merged: listOf(event.merged),
          });
          break;
        case "byteplus_timeout":
          if (this.extras.length) { this.addVerdict(this.firstRow("timeout", event)); break; }
          this.set({ note: "timeout", timeoutSeconds: event.timeout ?? null });
          break;
        case "byteplus_error":
          if (this.extras.length) { this.addVerdict(this.firstRow("error", event)); break; }
          this.set({ note: "validatorError", errorDetail: String(event.message || "") });
          break;
        case "validator_complete":
          this.addVerdict(verdictRow(event, false));
          break;
        case "correction":
          this.answer.replace(String(event.corrected ?? ""));
          this.set({
            state: "corrected", reason: String(event.reason || ""), original: String(event.original ?? ""),
            corrected: String(event.corrected ?? ""), similarity: event.similarity ?? this.similarity,
            conflicts: listOf(event.conflicts).length ? listOf(event.conflicts) : this.conflicts,
            answeredBy: "byteplus",
          });
          break;
        case "complete": this.complete(event); break;
        case "error":
          if (event.code === "aborted") this.abort();
          else this.fail(errorKind(event.code, event.message), String(event.message || ""));
          break;
        default: break; // unknown types are ignored, as the contract asks
      }
    }

    /** The first validator's event as a verdict row, named as `start` named it. */
    firstRow(status, event) {
      const role = (this.roles && this.roles.byteplus) || {};
      return verdictRow({
        ...event, status, name: role.provider || t("modelsValidator"), model: event.model || role.model || "",
      }, true);
    }
    addVerdict(row) {
      // A resumed stream replays from its last event: a row already kept is not added twice.
      const verdicts = this.verdicts.filter((kept) => !(kept.first === row.first && kept.name === row.name));
      this.set({ verdicts: [...verdicts, row] });
    }
    /** With extra validators, at `complete`: the run's verdict is the deciding validator's (the
     * first on the majority side), not necessarily the first validator's; `byteplus_*` told only
     * the latter. Without a vote (none answered, or a fallback) the first validator's event
     * counts, as without extra validators. */
    decide(event) {
      const panel = event.validators && typeof event.validators === "object" && !Array.isArray(event.validators)
        ? event.validators : null;
      const rows = this.verdicts.map((row) => ({ ...row, decided: false }));
      const first = rows.find((row) => row.first) || null;
      let decider = null;
      if (panel && panel.decided_by !== null && panel.decided_by !== undefined) {
        const winner = Boolean(event.corrected); // the winning side corrects the fast answer
        const answered = rows.filter((row) => !row.first && row.status === "answered");
        if (first && first.status === "answered") {
          // The first validator's vote: the votes for a correction not cast by the extra ones.
          const extraCorrects = answered.filter((row) => (row.majority ? winner : !winner)).length;
          const firstCorrects = Number(panel.corrects) - extraCorrects > 0;
          first.majority = firstCorrects === winner;
        }
        decider = first && first.majority ? first : answered.find((row) => row.majority === true) || null;
      }
      if (decider) {
        decider.decided = true;
        const corrected = this.state === "corrected" || Boolean(event.corrected);
        this.set({
          verdicts: rows, panel, validated: true, note: null,
          similarity: typeof event.similarity === "number" ? event.similarity : decider.similarity,
          conflicts: corrected && this.conflicts.length ? this.conflicts : decider.conflicts,
          outcome: decider.outcome, added: decider.added, merged: decider.merged,
          // The corrected words are an extra validator's, not the first validator's.
          answeredBy: corrected && !decider.first ? `validator:${decider.name}` : this.answeredBy,
        });
        return;
      }
      this.set({ verdicts: rows, panel });
      if (!first) return;
      if (first.status === "answered") {
        this.set({
          similarity: first.similarity, conflicts: first.conflicts, validated: true,
          outcome: first.outcome, added: first.added, merged: first.merged,
        });
      } else if (first.status === "timeout") {
        this.set({ note: "timeout", timeoutSeconds: first.timeout });
      } else {
        this.set({ note: "validatorError", errorDetail: first.message });
      }
    }

    complete(event, stored = false) {
      if (this.extras.length && !stored) this.decide(event);
      const content = typeof event.content === "string" ? event.content : this.answer.target;
      if (content !== this.answer.target) this.answer.replace(content); else this.answer.close();
      const status = String(event.status || "");
      let state = "verified";
      if (event.corrected || this.state === "corrected") state = "corrected";
      else if (this.note || status.startsWith("validator_") || this.fallback) state = "unvalidated";
      else if (!this.validated && status !== "completed") state = "unvalidated";
      const elapsed = typeof event.elapsed_time === "number" ? event.elapsed_time : null;
      this.set({
        state, final: content, confidence: typeof event.confidence === "number" ? event.confidence : null,
        total: elapsed ?? (Date.now() - this.started) / 1000, runId: event.run_id || this.runId,
      });
      const shown = this.shownConfidence();
      const key = shown === null ? (state === "verified" ? "announce.verified.plain" : "announce.unvalidated") : `announce.${state}`;
      announce(t(key, { pct: shown === null ? "" : pct(shown) }));
    }
    /** The run as stored (`GET /api/consensus/runs/<id>`), when its stream is gone. */
    settle(run) {
      const status = String(run.status || "");
      if (status === "running") return false;
      if (status === "aborted") { this.answer.replace(String(run.final_answer || run.fast_answer || "")); this.abort(); return true; }
      if (status === "failed") { this.fail("models_unavailable", String(run.error || "")); return true; }
      this.validated = typeof run.similarity === "number";
      this.similarity = run.similarity ?? null;
      this.conflicts = listOf(run.conflicts);
      if (run.corrected) {
        this.state = "corrected"; this.reason = String(run.correction_reason || "");
        this.original = String(run.fast_answer || ""); this.corrected = String(run.final_answer || "");
      }
      if (status === "validator_timeout") this.note = "timeout";
      if (status === "validator_error") this.note = "validatorError";
      const stored = listOf(run.validators);
      if (stored.length) {
        this.verdicts = stored.map((entry) => ({ ...verdictRow(entry, entry.role === "byteplus"), decided: Boolean(entry.decided) }));
        this.extras = stored.filter((entry) => entry.role !== "byteplus");
        this.outcome = String(run.outcome || "");
        this.added = listOf(run.added_facts);
      }
      const timings = run.timings || {};
      this.complete({
        content: String(run.final_answer || ""), status, corrected: Boolean(run.corrected),
        confidence: run.confidence, elapsed_time: timings.total_duration, run_id: run.id,
      }, true);
      return true;
    }
    fail(errorKey, detail, retryAfter) {
      this.answer.open = false;
      this.answer.flush();
      const retryAt = typeof retryAfter === "number" ? Date.now() + retryAfter * 1000 : null;
      this.set({ state: "error", errorKey, errorDetail: detail || "", retryAt, total: (Date.now() - this.started) / 1000 });
      announce(t("announce.error", { msg: t(`error.${errorKey}`) }));
    }
    abort() {
      this.answer.open = false;
      this.answer.flush();
      this.set({ state: "aborted", total: (Date.now() - this.started) / 1000 });
      announce(t("announce.aborted"));
    }

    toggleCompare() {
      const panel = this.q("compare");
      const open = panel.hidden;
      if (open) renderDiff(this.q("diff-original"), this.q("diff-corrected"), this.original, this.corrected);
      panel.hidden = !open;
      this.compareButton.setAttribute("aria-expanded", String(open));
      this.compareButton.textContent = t(open ? "compareHide" : "compareShow");
    }

    async sendFeedback(helpful, comment) {
      if (!this.runId) return;
      const previous = this.feedback;
      this.set({ feedback: { helpful, comment: comment ?? (previous && previous.helpful === helpful ? previous.comment : "") }, feedbackStatus: "sending" });
      try {
        const response = await fetch(config.runUrl(this.runId, "/feedback"), {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ helpful, comment: this.feedback.comment || "" }),
          credentials: "same-origin", cache: "no-store",
        });
        this.set({ feedbackStatus: response.ok ? (comment === null ? "rated" : "thanked") : "failed" });
      } catch {
        this.set({ feedbackStatus: "failed" });
      }
    }

    /** The confidence worth showing: only where a second model checked the answer. */
    shownConfidence() {
      if (this.confidence === null || !this.validated) return null;
      return this.state === "verified" || this.state === "corrected" ? this.confidence : null;
    }
    /** Seconds left before a rate-limited question may be asked again (0: now), or null. */
    waitLeft() {
      return this.retryAt === null ? null : Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
    }

    // rendering (everything that depends on the language lives here, so a switch re-renders)
    render() {
      const { li, state } = this;
      li.dataset.state = state;
      if (this.runId) li.dataset.runId = this.runId;
      li.dataset.outcome = this.outcome || "";
      const running = !this.finished;
      const streaming = running && active && active.turn === this;
      const answerEl = this.q("answer");
      answerEl.setAttribute("aria-busy", String(Boolean(streaming)));
      const typing = Boolean(streaming) && this.ttft !== null && state === "validating" && this.fastDoneAt === null;
      answerEl.classList.toggle("is-streaming", typing);
      li.classList.toggle("is-checking", state === "validating" && this.fastDoneAt !== null);
      this.q("placeholder").hidden = !(state === "waiting" && streaming);
      const chip = this.q("status");
      chip.dataset.state = state;
      this.q("status-label").textContent = t(`state.${state}`);
      const confidence = this.q("confidence");
      const shown = this.shownConfidence();
      confidence.hidden = shown === null;
      confidence.textContent = shown === null ? "" : t("confidence", { pct: pct(shown) });
      this.renderTimings();
      this.renderNotice();
      this.renderAdded();
      this.renderConflicts();
      this.renderValidators();
      this.renderError();
      this.renderModels();
      this.renderFeedback();
      const comparable = state === "corrected" && this.original.trim() !== "" && this.original !== this.corrected;
      this.compareButton.hidden = !comparable;
      this.compareButton.textContent = t(this.q("compare").hidden ? "compareShow" : "compareHide");
      this.retryButton.hidden = !(state === "error" || state === "aborted");
      const wait = this.waitLeft();
      this.retryButton.disabled = state === "error" && wait !== null && wait > 0;
      if (state === "verified" || state === "corrected" || state === "unvalidated") {
        if (!this.answer.target.trim()) answerEl.replaceChildren(emptyNote());
      }
      persistSoon();
    }
    renderTimings() {
      const ttft = this.q("ttft"), total = this.q("total");
      ttft.hidden = this.ttft === null;
      if (this.ttft !== null) ttft.textContent = t("ttft", { s: secs(this.ttft) });
      total.hidden = this.total === null;
      if (this.total !== null) total.textContent = t("total", { s: secs(this.total) });
    }
    renderNotice() {
      const notice = this.q("notice");
      let text = "";
      if (this.state === "corrected") {
        const reason = ["low_similarity", "fact_conflict", "fast_model_failed"].includes(this.reason) ? this.reason : "other";
        text = t(`note.corrected.${reason}`, { pct: this.similarity === null ? "?" : pct(this.similarity) });
      } else if (this.state === "verified" && this.outcome === "supplement" && this.added.length) {
        text = "";
      } else if (this.state === "verified" && this.similarity !== null) {
        text = t("note.verified", { pct: pct(this.similarity) });
      } else if (this.note === "timeout") {
        text = t("note.timeout", { s: this.timeoutSeconds === null ? "?" : wholeSecs(this.timeoutSeconds) });
      } else if (this.note === "validatorError") {
        text = t("note.validatorError");
      } else if (this.fallback && this.state !== "error") {
        text = fallbackNote(this.fallback);
      } else if (this.state === "aborted") {
        text = t("note.aborted");
      } else if (this.state === "validating" && this.fastDoneAt !== null) {
        text = t("note.validatingFor", { s: wholeSecs(Math.floor((Date.now() - this.fastDoneAt) / 1000)) });
      }
      notice.hidden = !text;
      notice.dataset.kind = this.state === "validating" ? "checking" : this.state;
      if (notice.textContent !== text) notice.textContent = text;
      if (this.note === "validatorError" && this.errorDetail) notice.appendChild(technical(this.errorDetail));
    }
    renderAdded() {
      const box = this.q("added");
      const facts = this.added.filter((fact) => String(fact.text || "").trim());
      box.hidden = !(this.outcome === "supplement" && facts.length && this.state !== "corrected");
      if (box.hidden) { box.replaceChildren(); return; }
      const title = document.createElement("p");
      title.className = "added-title";
      title.textContent = this.state === "verified" ? t("note.supplement") : t("addedTitle");
      const list = document.createElement("ul");
      for (const fact of facts) {
        const item = document.createElement("li");
        item.dataset.kind = String(fact.kind || "");
        item.textContent = String(fact.text);
        list.appendChild(item);
      }
      box.replaceChildren(title, list);
      if (this.merged.length > 1) box.appendChild(this.mergedView());
    }
    /** The merged answer, on request: each piece with where it came from. */
    mergedView() {
      const details = document.createElement("details");
      details.className = "merged";
      const summary = document.createElement("summary");
      summary.textContent = t("mergedSummary");
      details.appendChild(summary);
      for (const piece of this.merged) {
        const source = piece.source === "validator" ? "validator" : "fast";
        const p = document.createElement("p");
        p.dataset.source = source;
        const label = document.createElement("span");
        label.className = "source";
        label.textContent = t(`source.${source}`);
        p.append(label, " ", String(piece.text || ""));
        details.appendChild(p);
      }
      return details;
    }
    renderConflicts() {
      const box = this.q("conflicts");
      box.hidden = this.conflicts.length === 0;
      if (box.hidden) { box.replaceChildren(); return; }
      const title = document.createElement("p");
      title.className = "conflicts-title";
      title.textContent = t("conflictsTitle");
      const list = document.createElement("ul");
      for (const conflict of this.conflicts) {
        const kind = CONFLICT_KINDS.includes(conflict.kind) ? conflict.kind : "other";
        const item = document.createElement("li");
        item.dataset.kind = String(conflict.kind || "");
        const label = document.createElement("strong");
        label.textContent = t(`kind.${kind}`);
        item.append(label, document.createTextNode(": "));
        const pair = (who, value) => {
          const span = document.createElement("span");
          span.className = "conflict-value";
          span.textContent = `${t(who)} “${String(value ?? "")}”`;
          return span;
        };
        item.append(pair("fastSaid", conflict.fast), document.createTextNode(" ≠ "), pair("validatorSaid", conflict.validator));
        list.appendChild(item);
      }
      box.replaceChildren(title, list);
    }
    /** One line per validator, only with extra validators and once the verdict is in. */
    renderValidators() {
      const box = this.q("validators");
      box.hidden = !(this.extras.length && this.verdicts.length && ["verified", "corrected", "unvalidated"].includes(this.state));
      if (box.hidden) { box.replaceChildren(); return; }
      const title = document.createElement("p");
      title.className = "validators-title";
      title.textContent = t("validatorsTitle");
      const list = document.createElement("ul");
      for (const row of this.verdicts) {
        const item = document.createElement("li");
        item.dataset.status = row.status;
        item.dataset.majority = row.majority === null ? "" : String(row.majority);
        if (row.decided) item.dataset.decided = "true";
        const name = document.createElement("strong");
        name.textContent = row.name;
        const model = document.createElement("span");
        model.className = "validator-model";
        model.textContent = row.model ? ` (${row.model})` : "";
        const parts = [];
        if (row.status === "answered") {
          const outcome = ["agree", "supplement", "conflict"].includes(row.outcome) ? row.outcome : "";
          if (outcome) parts.push(t(`verdict.${outcome}`));
          if (typeof row.similarity === "number") parts.push(t("verdict.similarity", { pct: pct(row.similarity) }));
          if (row.majority === true) parts.push(t("verdict.majority"));
          if (row.majority === false) parts.push(t("verdict.outvoted"));
          if (row.decided) parts.push(t("verdict.decided"));
        } else {
          parts.push(t(row.status === "timeout" ? "verdict.timeout" : "verdict.error"));
        }
        item.append(name, model, document.createTextNode(`: ${parts.join(" · ")}`));
        list.appendChild(item);
      }
      box.replaceChildren(title, list);
    }
    renderError() {
      const box = this.q("error");
      box.hidden = this.state !== "error";
      if (box.hidden) { box.replaceChildren(); return; }
      const message = document.createElement("p");
      let key = `error.${this.errorKey || "generic"}`;
      if (this.errorKey === "models_unavailable" && this.fallback && this.fallback.reason === "circuit_open") key += ".circuit_open";
      message.textContent = t(key);
      box.replaceChildren(message);
      const wait = this.waitLeft();
      if (wait !== null || WAITING_ERRORS.includes(this.errorKey)) {
        const line = document.createElement("p");
        line.dataset.role = "wait";
        line.textContent = wait === null ? t("wait.unknown") : wait > 0 ? t("wait.left", { s: wholeSecs(wait) }) : t("wait.over");
        box.appendChild(line);
      }
      if (this.errorDetail) box.appendChild(technical(this.errorDetail));
    }
    renderModels() {
      const box = this.q("models");
      const roles = this.roles;
      if (!roles) { box.replaceChildren(); return; }
      const parts = [];
      for (const [role, label] of [["groq", "modelsFast"], ["byteplus", "modelsValidator"]]) {
        const info = roles[role];
        if (!info) continue;
        const span = document.createElement("span");
        span.className = "model";
        span.dataset.role = `model-${role}`;
        if (role === this.answeredBy && this.state !== "waiting") span.classList.add("is-answer");
        const name = document.createElement("span");
        name.className = "model-role";
        name.textContent = `${t(label)}: `;
        const model = document.createElement("span");
        model.textContent = [info.provider, info.model].filter(Boolean).join(" · ");
        span.append(name, model);
        parts.push(span);
      }
      box.replaceChildren(...parts);
    }
    renderFeedback() {
      const box = this.q("feedback");
      box.hidden = !(this.runId && ["verified", "corrected", "unvalidated"].includes(this.state));
      if (box.hidden) return;
      const chosen = this.feedback ? this.feedback.helpful : null;
      for (const button of box.querySelectorAll("[data-helpful]")) {
        button.setAttribute("aria-pressed", String(chosen !== null && String(chosen) === button.dataset.helpful));
      }
      this.q("feedback-form").hidden = chosen === null;
      const status = this.q("feedback-status");
      const words = { thanked: "feedbackThanks", rated: "feedbackThanks", failed: "feedbackFailed" };
      status.textContent = words[this.feedbackStatus] ? t(words[this.feedbackStatus]) : "";
      status.dataset.kind = this.feedbackStatus;
    }
  }

  const WAITING_ERRORS = ["rate_limited", "too_many_streams", "shutting_down"];
  function fallbackNote(fallback) {
    const reason = String(fallback.reason || "");
    if (FALLBACK_REASONS.includes(reason)) return t(`fallback.${reason}`);
    if (["stream_error", "protocol_error", "stall", "http_error", "provider_error"].includes(reason)) return t("fallback.stream");
    return t("note.fallback");
  }
  const listOf = (value) => (Array.isArray(value) ? value.filter((x) => x && typeof x === "object") : []);
  /** One validator's verdict (`validator_complete`, the first validator's event, or an entry of
   * a stored run's `validators`) as a row of the turn's `verdicts`. */
  function verdictRow(event, first) {
    const status = ["answered", "timeout", "error"].includes(event.status) ? event.status : "error";
    return {
      first, name: String(event.name || ""), model: String(event.model || ""), status,
      outcome: String(event.outcome || ""), similarity: typeof event.similarity === "number" ? event.similarity : null,
      conflicts: listOf(event.conflicts), added: listOf(event.added), merged: listOf(event.merged),
      majority: typeof event.majority === "boolean" ? event.majority : null,
      timeout: typeof event.timeout === "number" ? event.timeout : null, message: String(event.message || ""),
      decided: false,
    };
  }
  function technical(detail) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = t("technical");
    const body = document.createElement("p");
    body.textContent = detail;
    details.append(summary, body);
    return details;
  }
  function emptyNote() {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = t("note.empty");
    return p;
  }
  function errorKind(code, message) {
    const value = String(code || "");
    if (STRINGS.id[`error.${value}`]) return value;
    if (/rate|concurren/i.test(value)) return "rate_limited";
    if (/timeout/i.test(value + message)) return "timeout";
    return "generic";
  }
  function httpErrorKind(status, code) {
    if (code === "too_many_streams" || code === "shutting_down") return code;
    if (status === 429 || /rate|concurren/i.test(code)) return "rate_limited";
    if (status === 403 && /csrf/i.test(code)) return "csrf";
    if (status === 401 || status === 403) return "unauthorized";
    if (status === 503 && code === "not_configured") return "not_configured";
    if (status === 413) return "too_large";
    if (status === 400) return "invalid";
    if (status >= 500) return "http_error";
    return "generic";
  }
  /** Retry-After in seconds (a number or an HTTP date), or undefined. */
  function retryAfter(response) {
    const value = (response.headers.get("Retry-After") || "").trim();
    if (!value) return undefined;
    if (/^\d+$/.test(value)) return Number(value);
    const when = Date.parse(value);
    return Number.isNaN(when) ? undefined : Math.max(0, Math.ceil((when - Date.now()) / 1000));
  }
  function announce(text) {
    els.announcer.textContent = "";
    setTimeout(() => { els.announcer.textContent = text; }, 50);
  }

  // Once a second: the validator's elapsed time and the rate limit's countdown.
  setInterval(() => {
    for (const turn of turns) {
      if (turn.state === "validating" && turn.fastDoneAt !== null) turn.renderNotice();
      if (turn.state === "error" && turn.retryAt !== null) {
        turn.renderError();
        turn.retryButton.disabled = turn.waitLeft() > 0;
      }
    }
  }, 1000);

  // --- Keeping the conversation across a reload (this tab only) -----------------------------------

  const STORE_KEY = "consensus.conversation";
  let persistTimer = 0, unloading = false;
  function persist() {
    clearTimeout(persistTimer); persistTimer = 0;
    if (unloading && !active) return;
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(turns.map((turn) => turn.snapshot()))); } catch { /* full or private */ }
  }
  function persistSoon() { if (!persistTimer && !unloading) persistTimer = setTimeout(persist, 150); }
  function restoreConversation() {
    let kept = [];
    try { kept = JSON.parse(sessionStorage.getItem(STORE_KEY) || "[]"); } catch { kept = []; }
    if (!Array.isArray(kept) || !kept.length) return;
    els.welcome.hidden = true;
    for (const item of kept) {
      if (!item || typeof item !== "object") continue;
      const turn = Turn.restore(item);
      turns.push(turn);
      els.turns.appendChild(turn.li);
    }
    followStream();
    const open = turns.find((turn) => !turn.finished);
    for (const turn of turns) {
      if (turn.finished) continue;
      if (turn === open && turn.runId) resume(turn); else turn.fail("cut", "");
    }
  }
  window.addEventListener("pagehide", () => { persist(); unloading = true; });

  // --- Asking ------------------------------------------------------------------------------------

  /** Earlier finished turns as `messages`, trimmed from the oldest to the server's limits. */
  function historyBefore(turn) {
    const pairs = [];
    for (const earlier of turns) {
      if (earlier === turn) break;
      if (earlier.final !== null) pairs.push([
        { role: "user", content: earlier.question }, { role: "assistant", content: earlier.final },
      ]);
    }
    const size = (ps) => ps.reduce((sum, [u, a]) => sum + u.content.length + a.content.length, 0);
    while (pairs.length && (pairs.length * 2 > config.maxHistoryMessages || size(pairs) > config.maxHistoryChars)) pairs.shift();
    return pairs.flat();
  }

  const RESUME_DELAYS = [300, 1000, 2500]; // ms before each attempt to resume a dropped stream

  function ask(turn) {
    if (active) return;
    turn.history = historyBefore(turn);
    turn.reset();
    follows(turn, async (signal) => {
      const response = await fetch(config.streamUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ prompt: turn.question, messages: turn.history }),
        credentials: "same-origin", cache: "no-store", signal,
      });
      const runId = response.headers.get("X-Run-Id");
      if (runId) turn.set({ runId });
      return response;
    });
  }

  /** Pick up an unfinished turn after a reload, from the last event it showed. */
  function resume(turn) {
    if (active) return;
    if (!turn.lastId) turn.answer.reset(); // the whole stream is replayed
    follows(turn, (signal) => openEvents(turn, signal));
  }

  function openEvents(turn, signal) {
    return fetch(config.runUrl(turn.runId, "/events"), {
      headers: { Accept: "text/event-stream", ...(turn.lastId ? { "Last-Event-ID": turn.lastId } : {}) },
      credentials: "same-origin", cache: "no-store", signal,
    });
  }

  async function follows(turn, open) {
    const controller = new AbortController();
    active = { turn, controller };
    setBusy(true);
    turn.render();
    const signal = controller.signal;
    try {
      let response = await open(signal);
      if (!(await isStream(response, turn))) return;
      for (let attempt = 0; ; attempt++) {
        try {
          const outcome = await follow(response, turn, (id) => { turn.lastId = id; attempt = 0; });
          if (outcome === "terminal") return;
        } catch (error) {
          if (signal.aborted || unloading) throw error;
        }
        // The connection dropped before the terminal event: the run lives on at the server, so
        // pick it up where we left off (no second question to the models).
        if (!turn.runId || attempt >= RESUME_DELAYS.length) { turn.fail("cut", ""); return; }
        await new Promise((resolve) => setTimeout(resolve, RESUME_DELAYS[attempt]));
        if (signal.aborted) throw new DOMException("stopped", "AbortError");
        try {
          response = await openEvents(turn, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          continue;
        }
        if (!(await isStream(response, turn))) return;
      }
    } catch (error) {
      if (unloading) return; // the page is going away: keep the turn as it was saved
      if (signal.aborted) turn.abort();
      else turn.fail("network", String((error && error.message) || error));
    } finally {
      if (active && active.turn === turn) active = null;
      if (!unloading) { setBusy(false); turn.render(); }
    }
  }

  /** True for an event stream; otherwise the turn fails with the server's error in plain words
   * (or, when the stream is over, settles from the stored run). */
  async function isStream(response, turn) {
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.includes("text/event-stream")) return true;
    const { code, message } = response.status === 204 ? { code: "", message: "" } : await errorBody(response);
    if (turn.runId && (response.status === 204 || code === "run_not_found")) {
      if (!(await settleFromStore(turn))) turn.fail("cut", message);
      return false;
    }
    turn.fail(httpErrorKind(response.status, code), message || `HTTP ${response.status}`, retryAfter(response));
    return false;
  }

  async function settleFromStore(turn) {
    try {
      const response = await fetch(config.runUrl(turn.runId, ""), { credentials: "same-origin", cache: "no-store" });
      return response.ok && turn.settle(await response.json());
    } catch {
      return false;
    }
  }

  /** Feed one response's events to the turn: "terminal" once complete/error arrived, else "cut". */
  async function follow(response, turn, onId) {
    for await (const frame of readEvents(response)) {
      let event;
      try { event = JSON.parse(frame.data); } catch { event = null; }
      if (event && typeof event === "object") turn.handle(event);
      if (frame.id) onId(frame.id);
      if (event && (event.type === "complete" || event.type === "error")) return "terminal";
    }
    return "cut";
  }

  async function errorBody(response) {
    try {
      const body = await response.json();
      const error = body && body.error;
      if (error && typeof error === "object") return { code: String(error.code || ""), message: String(error.message || "") };
      return { code: "", message: typeof error === "string" ? error : "" };
    } catch {
      return { code: "", message: "" };
    }
  }

  function submit(text) {
    const question = text.trim();
    if (!question || active) return;
    els.welcome.hidden = true;
    const turn = new Turn(question, []);
    turns.push(turn);
    els.turns.appendChild(turn.li);
    els.prompt.value = "";
    autosize();
    stick = true;
    followStream();
    ask(turn);
  }

  /** Stop the active answer: the server cancels the run at once (both upstream calls), and the
   * stream is closed here. Without a run id yet, closing is enough: the server notices. */
  function stop() {
    if (!active) return;
    const { turn, controller } = active;
    if (turn.runId) {
      fetch(config.runUrl(turn.runId, "/stop"), {
        method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin", keepalive: true,
      }).catch(() => {});
    }
    controller.abort();
  }

  function setBusy(busy) {
    const hadFocus = document.activeElement;
    els.send.hidden = busy;
    els.stop.hidden = !busy;
    els.prompt.setAttribute("aria-busy", String(busy));
    updateJump();
    if (busy && hadFocus === els.send) els.stop.focus();
    if (!busy && (hadFocus === els.stop || hadFocus === document.body)) els.prompt.focus();
  }

  function autosize() {
    els.prompt.style.height = "auto";
    els.prompt.style.height = `${Math.min(els.prompt.scrollHeight, 200)}px`;
  }

  // --- Language ------------------------------------------------------------------------------------

  function translateWithin(root) {
    for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  }

  function setLanguage(next) {
    lang = STRINGS[next] ? next : "id";
    document.documentElement.lang = lang;
    document.title = lang === "id" ? "Asisten Hukum · Jawaban yang diperiksa dua model" : "Legal Assistant · Answers checked by two models";
    translateWithin(document);
    for (const button of document.querySelectorAll(".lang")) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    for (const turn of turns) turn.render();
    try { localStorage.setItem("consensus.lang", lang); } catch { /* private mode */ }
  }

  // --- Wiring --------------------------------------------------------------------------------------

  els.form.addEventListener("submit", (event) => { event.preventDefault(); submit(els.prompt.value); });
  els.prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); submit(els.prompt.value); }
  });
  els.prompt.addEventListener("input", autosize);
  els.stop.addEventListener("click", stop);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && active) { event.preventDefault(); stop(); } });
  for (const button of document.querySelectorAll(".example")) button.addEventListener("click", () => submit(button.textContent));
  for (const button of document.querySelectorAll(".lang")) button.addEventListener("click", () => setLanguage(button.dataset.lang));
  els.newChat.addEventListener("click", () => {
    stop();
    turns.length = 0;
    els.turns.replaceChildren();
    els.welcome.hidden = false;
    try { sessionStorage.removeItem(STORE_KEY); } catch { /* private mode */ }
    stick = true;
    updateJump();
    els.prompt.focus();
  });

  let saved = null;
  try { saved = localStorage.getItem("consensus.lang"); } catch { /* private mode */ }
  const requested = new URLSearchParams(location.search).get("lang");
  setLanguage(requested || saved || "id");
  restoreConversation();
  app.dataset.ready = "true";
})();
