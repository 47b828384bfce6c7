import Foundation

/// The explorer's page: one self-contained HTML document (inline CSS and JS, no external resource) that reads the
/// JSON API.
///
/// The URL's query (`?concept=…&pair=a,b&layer=L`) is the permalink of what it shows.
enum ExplorerPage {
    /// The page for the run titled `title`.
    static func html(title: String) -> String {
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        return (head + body).replacingOccurrences(of: "{{TITLE}}", with: escaped) + "<script>\n" + script
            + "\n</script></body></html>\n"
    }

    private static let head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}} — EmbeddingDrift explorer</title>
        <style>
        :root{--fg:#1b1b1b;--muted:#666;--line:#ddd;--accent:#0072B2;--bg:#fff;--panel:#fafafa}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0}
        header{padding:14px 24px;border-bottom:1px solid var(--line)}
        header h1{font-size:20px;margin:0}
        header p{margin:2px 0 0;color:var(--muted)}
        main{padding:16px 24px;display:grid;grid-template-columns:minmax(320px,1fr) minmax(320px,1fr);gap:16px}
        section{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:12px 14px}
        section h2{font-size:15px;margin:0 0 8px}
        .wide{grid-column:1 / -1}
        .controls{display:flex;flex-wrap:wrap;gap:10px;align-items:center}
        input[type=text]{font:inherit;padding:5px 8px;width:260px}
        select,button{font:inherit;padding:4px 8px}
        .examples button{margin:2px;border:1px solid var(--line);background:#fff;border-radius:12px;cursor:pointer}
        .examples button:hover{border-color:var(--accent)}
        .sugg{color:var(--muted);margin-top:6px;min-height:1.4em}
        .sugg a{margin-right:8px;color:var(--accent);cursor:pointer}
        .error{color:#b00020}
        .live{background:#D55E00;color:#fff;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600}
        table{border-collapse:collapse;width:100%}
        td,th{padding:3px 6px;border-bottom:1px solid var(--line);text-align:left;font-variant-numeric:tabular-nums}
        th{font-weight:600;color:var(--muted)}
        td.num,th.num{text-align:right}
        .big{font-size:26px;font-weight:600}
        .bar{height:10px;background:var(--accent);display:inline-block;vertical-align:middle}
        tr.hl td{background:#e8f1f8;font-weight:600}
        .nbrs{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:10px}
        .nbrs ol{margin:0;padding-left:22px}
        svg{max-width:100%;height:auto;background:#fff;border:1px solid var(--line)}
        .legend span{margin-right:10px;display:inline-block;max-width:100%;overflow-wrap:anywhere}
        code.tok{background:#eef;border-radius:3px;padding:0 3px;white-space:pre}
        .lens{overflow-x:auto}
        @media (max-width:800px){main{grid-template-columns:1fr}}
        </style></head>
        """

    private static let body = """
        <body>
        <header><h1>{{TITLE}}</h1><p id="runinfo">loading…</p></header>
        <main>
        <section class="wide" id="search">
          <div class="controls">
            <label>Concept <input type="text" id="concept" list="concept-list" autocomplete="off" placeholder="type a concept"></label>
            <datalist id="concept-list"></datalist>
            <button id="go">Show</button>
            <label>Pair <select id="pair"></select></label>
            <label>Layer <select id="layer"></select></label>
            <a id="permalink" href="#">permalink</a>
          </div>
          <div class="examples" id="examples"></div>
          <div class="sugg" id="suggestions"></div>
        </section>
        <section id="summary"><h2>Drift summary</h2><div id="summary-body">Choose a concept.</div></section>
        <section id="umap"><h2>UMAP (headline layer)</h2><div id="umap-body"></div></section>
        <section class="wide" id="neighbors"><h2>Nearest neighbours per variant</h2><div class="nbrs" id="neighbors-body"></div><p class="sugg">Bold: not a neighbour in every variant. Colour: the neighbour's category. Click one to look it up.</p></section>
        <section class="wide" id="outputs"><h2>Next tokens and logit lens</h2><div id="outputs-body">Choose a concept.</div></section>
        <section class="wide" id="categories"><h2>Category overview</h2><div id="categories-body"></div></section>
        </main>
        """

    private static let script = #"""
        "use strict";
        const $ = id => document.getElementById(id);
        const state = {run: null, umap: null, concept: null, pair: null, layer: null};
        const palette = ["#0072B2","#E69F00","#009E73","#CC79A7","#56B4E9","#D55E00","#F0E442","#000000","#999999","#882255","#44AA99","#117733"];
        const fmt = (x, d = 4) => x === null || x === undefined ? "—" : Number(x).toFixed(d);
        // Divergences span many orders of magnitude: three significant digits.
        const sig = x => x === null || x === undefined ? "—" : Number(x).toPrecision(3);
        const esc = s => String(s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
        async function api(path) {
          const r = await fetch(path);
          const body = await r.json();
          if (!r.ok) { const e = new Error(body.error || r.statusText); e.body = body; e.status = r.status; throw e; }
          return body;
        }
        async function embed(term) {
          const r = await fetch("/api/embed", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({term})});
          const body = await r.json();
          if (!r.ok) { const e = new Error(body.error || r.statusText); e.body = body; e.status = r.status; throw e; }
          return body;
        }
        function catColor(c) { const i = state.run.categories.findIndex(x => x.name === c); return palette[(i < 0 ? 0 : i) % palette.length]; }
        function pairParam() { return state.pair.join(","); }
        function updatePermalink() {
          const q = new URLSearchParams();
          if (state.concept) q.set("concept", state.concept);
          q.set("pair", pairParam()); q.set("layer", state.layer);
          const url = "/?" + q.toString().replace(/%2C/g, ",");
          $("permalink").href = url;
          history.replaceState(null, "", url);
        }
        async function init() {
          const run = state.run = await api("/api/run");
          $("runinfo").textContent = `${run.concept_count} concepts · variants ${run.variants.join(", ")} · ` +
            `layers ${run.layers[0]}–${run.layers[run.layers.length - 1]} (headline ${run.headline_layer})`;
          for (const p of run.pairs) $("pair").add(new Option(p[0] + " → " + p[1], p.join(",")));
          for (const l of run.layers) $("layer").add(new Option(String(l), String(l)));
          const concepts = (await api("/api/concepts")).concepts;
          const list = $("concept-list");
          for (const c of concepts) { const o = document.createElement("option"); o.value = c.term; list.appendChild(o); }
          for (const e of run.examples) {
            const b = document.createElement("button"); b.textContent = e; b.onclick = () => show(e); $("examples").appendChild(b);
          }
          if (run.has_umap) state.umap = await api("/api/umap");
          const q = new URLSearchParams(location.search);
          const pair = q.get("pair"), layer = q.get("layer");
          state.pair = run.pairs.find(p => p.join(",") === pair) || run.pairs[0];
          state.layer = run.layers.includes(Number(layer)) && layer !== null && layer !== "" ? Number(layer) : run.headline_layer;
          $("pair").value = pairParam(); $("layer").value = String(state.layer);
          $("pair").onchange = () => { state.pair = $("pair").value.split(","); refresh(); };
          $("layer").onchange = () => { state.layer = Number($("layer").value); refresh(); };
          $("go").onclick = () => show($("concept").value.trim());
          $("concept").addEventListener("keydown", ev => { if (ev.key === "Enter") show($("concept").value.trim()); });
          const start = q.get("concept") || run.examples[0];
          if (start) await show(start); else { updatePermalink(); await refresh(); }
        }
        async function show(term) {
          if (!term) return;
          $("concept").value = term;
          state.concept = term;
          await refresh();
        }
        async function refresh() {
          updatePermalink();
          $("suggestions").textContent = "";
          await renderCategories();
          if (!state.concept) return;
          const t = encodeURIComponent(state.concept);
          const path = `/api/concept/${t}?pair=${encodeURIComponent(pairParam())}&layer=${state.layer}`;
          let c;
          try {
            c = await api(path);
          } catch (e) {
            const s = $("suggestions");
            // Live mode: a term the run lacks is run through the models (then /api/concept answers it from the cache).
            if (e.status === 404 && state.run.live) {
              s.innerHTML = `<span id="live-status">embedding “${esc(state.concept)}” through the models…</span>`;
              try {
                await embed(state.concept);
                c = await api(path);
                s.textContent = "";
              } catch (e2) { e = e2.status === 404 ? e : e2; }
            }
            if (!c) {
              s.innerHTML = `<span class="error">${esc(e.message)}</span> `;
              for (const x of (e.body && e.body.suggestions) || []) {
                const a = document.createElement("a"); a.textContent = x; a.onclick = () => show(x); s.appendChild(a);
              }
              return;
            }
          }
          renderSummary(c);
          renderUMAP(c);
          await renderNeighbors(c);
          await renderOutputs(c);
        }
        const tok = t => `<code class="tok">${esc(t.token.replace(/ /g, "␣").replace(/\n/g, "⏎"))}</code>`;
        async function renderOutputs(c) {
          const box = $("outputs-body");
          let o;
          try { o = await api(`/api/outputs/${encodeURIComponent(c.term)}`); }
          catch (e) { box.innerHTML = `<p class="error">${esc(e.message)}</p>`; return; }
          const read = o.variants.filter(v => v.next_tokens.length || v.lens.length);
          if (!read.length) { box.textContent = "This run read no next tokens (compare with --next-token, --logit-lens K)."; return; }
          let h = "";
          if (o.pairs.length) {
            h += `<table><tr><th>pair</th><th class="num">JS</th><th class="num">KL(a‖b)</th><th class="num">KL(b‖a)</th><th>same top token</th><th class="num">top-10 Jaccard</th></tr>`;
            for (const p of o.pairs) h += `<tr><td>${esc(p.variant_a)} → ${esc(p.variant_b)}</td><td class="num">${sig(p.js)}</td><td class="num">${sig(p.kl_ab)}</td><td class="num">${sig(p.kl_ba)}</td><td>${p.top1_agree ? "yes" : "<b>no</b>"}</td><td class="num">${fmt(p.top10_jaccard, 2)}</td></tr>`;
            h += `</table>`;
            const withLensJS = o.pairs.filter(p => p.lens && p.lens.length);
            if (withLensJS.length) {
              const layers = withLensJS[0].lens.map(l => l.layer);
              h += `<h2 style="margin-top:10px">JS of the logit lens by layer</h2><table id="lens-js"><tr><th>pair</th>${layers.map(l => `<th class="num">${l}</th>`).join("")}</tr>`;
              for (const p of withLensJS) h += `<tr><td>${esc(p.variant_a)} → ${esc(p.variant_b)}</td>${p.lens.map(l => `<td class="num">${l.top1_agree ? "" : "<b>"}${sig(l.js)}${l.top1_agree ? "" : "</b>"}</td>`).join("")}</tr>`;
              h += `</table><p class="meta">Bold: the two variants' lens puts a different token first at that layer.</p>`;
            }
          }
          const withNext = read.filter(v => v.next_tokens.length);
          if (withNext.length) {
            h += `<h2 style="margin-top:10px">Ten most likely next tokens</h2><table id="next-tokens"><tr><th class="num">rank</th>${withNext.map(v => `<th>${esc(v.variant)}</th>`).join("")}</tr>`;
            const n = Math.max(...withNext.map(v => v.next_tokens.length));
            for (let r = 0; r < n; r++) {
              h += `<tr><td class="num">${r + 1}</td>${withNext.map(v => { const t = v.next_tokens[r]; return t ? `<td>${tok(t)} <small>${fmt(t.prob, 3)}</small></td>` : "<td></td>"; }).join("")}</tr>`;
            }
            h += `</table>`;
          }
          const withLens = read.filter(v => v.lens.length);
          if (withLens.length) {
            const layers = [...new Set(withLens.flatMap(v => v.lens.map(l => l.layer)))].sort((a, b) => a - b);
            h += `<h2 style="margin-top:10px">Logit lens: each layer's state read through the final norm and the LM head (top 3)</h2><div class="lens"><table id="logit-lens"><tr><th class="num">layer</th>${withLens.map(v => `<th>${esc(v.variant)}</th>`).join("")}</tr>`;
            for (const layer of layers) {
              h += `<tr><td class="num">${layer}</td>${withLens.map(v => { const l = v.lens.find(x => x.layer === layer); return `<td>${l ? l.tokens.slice(0, 3).map(t => `${tok(t)} <small>${fmt(t.prob, 2)}</small>`).join(" ") : ""}</td>`; }).join("")}</tr>`;
            }
            h += `</table></div>`;
          }
          box.innerHTML = h;
        }
        function renderSummary(c) {
          const cs = c.category_summary;
          let h = c.live
            ? `<p><b>${esc(c.term)}</b> <span class="live" id="live-badge">live</span> · not in the run: embedded now through the run's models</p>`
            : `<p><b>${esc(c.term)}</b> · category <b style="color:${catColor(c.category)}">${esc(c.category)}</b></p>`;
          h += `<p><span class="big" id="drift-value">${fmt(c.cosine_distance)}</span> cosine distance ${esc(c.variant_a)} → ${esc(c.variant_b)} at layer ${c.layer}</p>`;
          h += `<table><tr><th>percentile</th><td class="num">${fmt(c.percentile, 1)}</td></tr>`;
          if (!c.live) h += `<tr><th>rank in category</th><td class="num">${c.category_rank} of ${c.category_size}</td></tr>`;
          h += `<tr><th>neighbourhood overlap (Jaccard)</th><td class="num">${fmt(c.jaccard, 3)}</td></tr>`;
          h += `<tr><th>second-order change</th><td class="num">${fmt(c.second_order)}</td></tr>`;
          h += `<tr><th>mean-centred distance</th><td class="num">${fmt(c.centered_distance)}</td></tr>`;
          h += `<tr><th>Procrustes-aligned distance</th><td class="num">${fmt(c.procrustes_distance)}</td></tr>`;
          for (const v of c.covariates || []) h += `<tr><th>covariate: ${esc(v.name)}</th><td class="num">${fmt(v.value)}</td></tr>`;
          if (cs) h += `<tr><th>category mean [95% CI]</th><td class="num">${fmt(cs.mean)} [${fmt(cs.ci_low)}, ${fmt(cs.ci_high)}]</td></tr>`;
          h += `</table><h2 style="margin-top:10px">Drift per pair (layer ${c.layer})</h2><table><tr><th>pair</th><th class="num">distance</th><th class="num">percentile</th><th class="num">Jaccard</th></tr>`;
          for (const p of c.pairs) {
            const hl = p.variant_a === c.variant_a && p.variant_b === c.variant_b ? ' class="hl"' : "";
            h += `<tr${hl}><td>${esc(p.variant_a)} → ${esc(p.variant_b)}</td><td class="num">${fmt(p.cosine_distance)}</td><td class="num">${fmt(p.percentile, 1)}</td><td class="num">${fmt(p.jaccard, 3)}</td></tr>`;
          }
          h += `</table>`;
          $("summary-body").innerHTML = h;
        }
        function renderUMAP(c) {
          const u = state.umap, box = $("umap-body");
          if (!u || !u.variants.length) { box.textContent = "This run has no UMAP."; return; }
          const i = u.concepts.indexOf(c.term);
          const pts = u.variants.flatMap(v => v.points).concat((c.projection || []).flatMap(v => v.points)).filter(p => p[0] !== null && p[1] !== null);
          const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
          const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
          const W = 520, H = 420, m = 16;
          const sx = x => m + (x - x0) / ((x1 - x0) || 1) * (W - 2 * m);
          const sy = y => H - m - (y - y0) / ((y1 - y0) || 1) * (H - 2 * m);
          const shapes = ["circle", "square", "diamond", "triangle"];
          let s = `<svg id="umap-svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="UMAP"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#222"/></marker></defs>`;
          u.variants.forEach((v, vi) => {
            v.points.forEach((p, j) => {
              if (p[0] === null || p[1] === null) return;
              s += `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2.2" fill="${catColor(u.categories[j])}" fill-opacity="${vi === 0 ? 0.45 : 0.2}"><title>${esc(u.concepts[j])} (${esc(v.name)})</title></circle>`;
            });
          });
          const track = c.projection
            ? c.projection.map(v => ({name: v.name, p: v.points[0]})).filter(t => t.p[0] !== null && t.p[1] !== null)
            : i >= 0 ? u.variants.map(v => ({name: v.name, p: v.points[i]})).filter(t => t.p[0] !== null) : [];
          if (track.length) {
            for (let k = 1; k < track.length; k++) {
              const a = track[k - 1].p, b = track[k].p;
              s += `<line x1="${sx(a[0]).toFixed(1)}" y1="${sy(a[1]).toFixed(1)}" x2="${sx(b[0]).toFixed(1)}" y2="${sy(b[1]).toFixed(1)}" stroke="#222" stroke-width="1.5" marker-end="url(#arrow)"/>`;
            }
            track.forEach((t, k) => {
              const x = sx(t.p[0]), y = sy(t.p[1]);
              s += `<circle class="focus" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="6" fill="${palette[k % palette.length]}" stroke="#000" stroke-width="1.2"><title>${esc(c.term)} (${esc(t.name)})</title></circle>`;
            });
            const last = track[track.length - 1];
            if (last) {
              // The label sits on the side of the point with more room, so it is never cut off at the panel's edge.
              const lx = sx(last.p[0]), ly = Math.max(14, sy(last.p[1]) - 8), left = lx > W / 2;
              s += `<text x="${(left ? lx - 9 : lx + 9).toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="${left ? "end" : "start"}" font-size="13" font-weight="600" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(c.term)}</text>`;
            }
          }
          s += `</svg>`;
          const legend = u.variants.map((v, k) => `<span><b style="color:${palette[k % palette.length]}">◉</b> ${esc(c.term)} in ${esc(v.name)}</span>`).join("");
          box.innerHTML = s + `<div class="legend">${legend} — arrows follow the variants in time order; dots are all concepts, coloured by category.</div>`;
        }
        async function renderNeighbors(c) {
          const box = $("neighbors-body");
          const lists = await Promise.all(state.run.variants.map(v =>
            api(`/api/neighbors/${encodeURIComponent(c.term)}?variant=${encodeURIComponent(v)}&k=10&layer=${state.layer}`).catch(e => ({variant: v, neighbors: [], error: e.message}))));
          const sets = lists.map(l => new Set(l.neighbors.map(n => n.neighbor)));
          box.innerHTML = lists.map((l, k) => {
            const items = l.neighbors.map(n => {
              const shared = sets.every(s => s.has(n.neighbor));
              return `<li><a href="#" data-term="${esc(n.neighbor)}" style="color:${catColor(n.category)}">${shared ? esc(n.neighbor) : "<b>" + esc(n.neighbor) + "</b>"}</a> <small>${fmt(n.similarity, 3)}</small></li>`;
            }).join("");
            return `<div class="nbr"><h2>${esc(l.variant)}</h2>${l.error ? `<p class="error">${esc(l.error)}</p>` : ""}<ol>${items || "<li>none stored</li>"}</ol></div>`;
          }).join("");
          for (const a of box.querySelectorAll("a[data-term]")) a.onclick = ev => { ev.preventDefault(); show(a.dataset.term); };
        }
        async function renderCategories() {
          const box = $("categories-body");
          let r;
          try { r = await api(`/api/categories?pair=${encodeURIComponent(pairParam())}&layer=${state.layer}`); }
          catch (e) { box.innerHTML = `<p class="error">${esc(e.message)}</p>`; return; }
          if (!r.categories.length) { box.textContent = "No category table for this pair and layer."; return; }
          const top = Math.max(...r.categories.map(c => c.ci_high ?? c.mean ?? 0)) || 1;
          let h = `<table><tr><th>category</th><th class="num">n</th><th class="num">mean drift</th><th>95% CI</th><th class="num">top-quartile share</th><th></th></tr>`;
          for (const c of r.categories) {
            h += `<tr><td style="color:${catColor(c.category)}">${esc(c.category)}</td><td class="num">${c.n}</td><td class="num">${fmt(c.mean)}</td><td>[${fmt(c.ci_low)}, ${fmt(c.ci_high)}]</td><td class="num">${fmt(c.top_quartile_share === null ? null : c.top_quartile_share * 100, 1)}%</td><td><span class="bar" style="width:${Math.max(1, 160 * (c.mean ?? 0) / top).toFixed(0)}px;background:${catColor(c.category)}"></span></td></tr>`;
          }
          $("categories-body").innerHTML = h + `</table>`;
        }
        init().catch(e => { $("runinfo").innerHTML = `<span class="error">${esc(e.message)}</span>`; });
        """#
}
