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
      "state.unvalidated": "Belum tervalidasi",
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
      "error.rate_limited": "Terlalu banyak pertanyaan dalam waktu singkat. Tunggu sebentar, lalu coba lagi.",
      "error.csrf": "Sesi keamanan halaman ini kedaluwarsa. Muat ulang halaman, lalu coba lagi.",
      "error.not_configured": "Layanan belum dikonfigurasi: kunci API model belum diatur oleh pengelola.",
      "error.unauthorized": "Layanan ini memerlukan login atau token akses.",
      "error.invalid": "Pertanyaan ini tidak dapat diproses.",
      "error.generic": "Terjadi kesalahan. Silakan coba lagi.",
      "announce.verified": "Jawaban terverifikasi, keyakinan {pct}.",
      "announce.corrected": "Jawaban dikoreksi oleh validator, keyakinan {pct}.",
      "announce.unvalidated": "Jawaban selesai, tetapi belum tervalidasi.",
      "announce.error": "Gagal: {msg}",
      "announce.aborted": "Jawaban dihentikan.",
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
      "error.rate_limited": "Too many questions in a short time. Wait a moment, then try again.",
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
    },
  };
  const CONFLICT_KINDS = ["article", "law", "duration", "money", "percentage", "age", "count", "modality", "institution"];

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
      translateWithin(this.li);
      this.reset();
    }
    reset() {
      Object.assign(this, {
        state: "waiting", runId: "", roles: null, answeredBy: "groq", final: null, confidence: null,
        similarity: null, reason: "", original: "", corrected: "", conflicts: [], note: null,
        errorKey: "", errorDetail: "", ttft: null, total: null, fallback: null, timeoutSeconds: null,
        started: performance.now(),
      });
      this.answer.reset();
      this.q("compare").hidden = true;
      this.compareButton.setAttribute("aria-expanded", "false");
      this.render();
    }
    set(changes) { Object.assign(this, changes); this.render(); }

    handle(event) {
      switch (event.type) {
        case "start":
          this.set({ runId: event.run_id || this.runId, roles: event.roles || null, models: event.models || [] });
          break;
        case "token":
          if (this.ttft === null) this.ttft = (performance.now() - this.started) / 1000;
          if (event.model) this.answeredBy = event.model;
          this.answer.append(String(event.content ?? ""));
          if (this.state === "waiting") this.set({ state: "validating" }); else this.renderTimings();
          break;
        case "groq_complete":
          if (typeof event.content === "string" && event.content !== this.answer.target) this.answer.replace(event.content);
          else this.answer.close();
          this.set({ state: "validating" });
          break;
        case "fallback":
          this.answer.reset();
          this.set({ fallback: event, answeredBy: "byteplus" });
          break;
        case "byteplus_complete":
          this.set({ similarity: event.similarity ?? null, conflicts: listOf(event.conflicts) });
          break;
        case "byteplus_timeout":
          this.set({ note: "timeout", timeoutSeconds: event.timeout ?? null });
          break;
        case "byteplus_error":
          this.set({ note: "validatorError", errorDetail: String(event.message || "") });
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

    complete(event) {
      const content = typeof event.content === "string" ? event.content : this.answer.target;
      if (content !== this.answer.target) this.answer.replace(content); else this.answer.close();
      const status = String(event.status || "");
      let state = "verified";
      if (event.corrected || this.state === "corrected") state = "corrected";
      else if (this.note || status.startsWith("validator_") || this.fallback) state = "unvalidated";
      else if (this.similarity === null && status !== "completed") state = "unvalidated";
      this.set({
        state, final: content, confidence: typeof event.confidence === "number" ? event.confidence : null,
        total: (performance.now() - this.started) / 1000, runId: event.run_id || this.runId,
      });
      const key = `announce.${state}`;
      announce(t(key, { pct: this.confidence === null ? "" : pct(this.confidence) }));
    }
    fail(errorKey, detail) {
      this.answer.open = false;
      this.answer.flush();
      this.set({ state: "error", errorKey, errorDetail: detail || "", total: (performance.now() - this.started) / 1000 });
      announce(t("announce.error", { msg: t(`error.${errorKey}`) }));
    }
    abort() {
      this.answer.open = false;
      this.answer.flush();
      this.set({ state: "aborted", total: (performance.now() - this.started) / 1000 });
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

    // rendering (everything that depends on the language lives here, so a switch re-renders)
    render() {
      const { li, state } = this;
      li.dataset.state = state;
      if (this.runId) li.dataset.runId = this.runId;
      const running = state === "waiting" || (state === "validating" && this.final === null);
      const streaming = running && active && active.turn === this;
      const answerEl = this.q("answer");
      answerEl.setAttribute("aria-busy", String(Boolean(streaming)));
      answerEl.classList.toggle("is-streaming", Boolean(streaming) && this.ttft !== null && state === "validating");
      this.q("placeholder").hidden = !(state === "waiting" && streaming);
      const chip = this.q("status");
      chip.dataset.state = state;
      this.q("status-label").textContent = t(`state.${state}`);
      const confidence = this.q("confidence");
      confidence.hidden = this.confidence === null || !["verified", "corrected", "unvalidated"].includes(state);
      confidence.textContent = this.confidence === null ? "" : t("confidence", { pct: pct(this.confidence) });
      this.renderTimings();
      this.renderNotice();
      this.renderConflicts();
      this.renderError();
      this.renderModels();
      const comparable = state === "corrected" && this.original.trim() !== "" && this.original !== this.corrected;
      this.compareButton.hidden = !comparable;
      this.compareButton.textContent = t(this.q("compare").hidden ? "compareShow" : "compareHide");
      this.retryButton.hidden = !(state === "error" || state === "aborted");
      if (state === "verified" || state === "corrected" || state === "unvalidated") {
        if (!this.answer.target.trim()) answerEl.replaceChildren(emptyNote());
      }
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
      } else if (this.state === "verified" && this.similarity !== null) {
        text = t("note.verified", { pct: pct(this.similarity) });
      } else if (this.note === "timeout") {
        text = t("note.timeout", { s: this.timeoutSeconds === null ? "?" : secs(this.timeoutSeconds) });
      } else if (this.note === "validatorError") {
        text = t("note.validatorError");
      } else if (this.fallback && this.state !== "error") {
        text = t("note.fallback");
      } else if (this.state === "aborted") {
        text = t("note.aborted");
      }
      notice.hidden = !text;
      notice.dataset.kind = this.state;
      notice.textContent = text;
      if (this.note === "validatorError" && this.errorDetail) notice.appendChild(technical(this.errorDetail));
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
    renderError() {
      const box = this.q("error");
      box.hidden = this.state !== "error";
      if (box.hidden) { box.replaceChildren(); return; }
      const message = document.createElement("p");
      message.textContent = t(`error.${this.errorKey || "generic"}`);
      box.replaceChildren(message);
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
  }

  const listOf = (value) => (Array.isArray(value) ? value.filter((x) => x && typeof x === "object") : []);
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
    if (/rate|too_many|concurren/i.test(value)) return "rate_limited";
    if (STRINGS.id[`error.${value}`]) return value;
    if (/timeout/i.test(value + message)) return "timeout";
    return "generic";
  }
  function httpErrorKind(status, code) {
    if (status === 429 || /rate|too_many|concurren/i.test(code)) return "rate_limited";
    if (status === 403 && /csrf/i.test(code)) return "csrf";
    if (status === 401 || status === 403) return "unauthorized";
    if (status === 503 && code === "not_configured") return "not_configured";
    if (status === 400) return "invalid";
    if (status >= 500) return "http_error";
    return "generic";
  }
  function announce(text) {
    els.announcer.textContent = "";
    setTimeout(() => { els.announcer.textContent = text; }, 50);
  }

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

  async function ask(turn) {
    if (active) return;
    turn.history = historyBefore(turn);
    turn.reset();
    const controller = new AbortController();
    active = { turn, controller };
    setBusy(true);
    turn.render();
    const signal = controller.signal;
    try {
      let response = await fetch(config.streamUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ prompt: turn.question, messages: turn.history }),
        credentials: "same-origin", cache: "no-store", signal,
      });
      const runId = response.headers.get("X-Run-Id");
      if (runId) turn.set({ runId });
      if (!(await isStream(response, turn))) return;
      let lastId = "";
      for (let attempt = 0; ; attempt++) {
        try {
          const outcome = await follow(response, turn, (id) => { lastId = id; attempt = 0; });
          if (outcome === "terminal") return;
        } catch (error) {
          if (signal.aborted) throw error;
        }
        // The connection dropped before the terminal event: the run lives on at the server, so
        // pick it up where we left off (no second question to the models).
        if (!turn.runId || attempt >= RESUME_DELAYS.length) { turn.fail("cut", ""); return; }
        await new Promise((resolve) => setTimeout(resolve, RESUME_DELAYS[attempt]));
        if (signal.aborted) throw new DOMException("stopped", "AbortError");
        try {
          response = await fetch(config.runUrl(turn.runId, "/events"), {
            headers: { Accept: "text/event-stream", ...(lastId ? { "Last-Event-ID": lastId } : {}) },
            credentials: "same-origin", cache: "no-store", signal,
          });
        } catch (error) {
          if (signal.aborted) throw error;
          continue;
        }
        if (response.status === 204 || !(await isStream(response, turn))) {
          if (turn.state !== "error") turn.fail("cut", "");
          return;
        }
      }
    } catch (error) {
      if (signal.aborted) turn.abort();
      else turn.fail("network", String((error && error.message) || error));
    } finally {
      active = null;
      setBusy(false);
      turn.render();
    }
  }

  /** True for an event stream; otherwise the turn fails with the server's error in plain words. */
  async function isStream(response, turn) {
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.includes("text/event-stream")) return true;
    if (response.status === 204) return false;
    const { code, message } = await errorBody(response);
    turn.fail(httpErrorKind(response.status, code), message || `HTTP ${response.status}`);
    return false;
  }

  /** Feed one response's events to the turn: "terminal" once complete/error arrived, else "cut". */
  async function follow(response, turn, onId) {
    for await (const frame of readEvents(response)) {
      if (frame.id) onId(frame.id);
      let event;
      try { event = JSON.parse(frame.data); } catch { continue; }
      if (!event || typeof event !== "object") continue;
      turn.handle(event);
      if (event.type === "complete" || event.type === "error") return "terminal";
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
    stick = true;
    updateJump();
    els.prompt.focus();
  });

  let saved = null;
  try { saved = localStorage.getItem("consensus.lang"); } catch { /* private mode */ }
  const requested = new URLSearchParams(location.search).get("lang");
  setLanguage(requested || saved || "id");
  app.dataset.ready = "true";
})();
