-- A pandoc custom reader: renders a whole book's citations with pandoc's citeproc in one run.
--
-- Input (JSON, written by book/citations/engine.py):
--   {"csl": path, "references": path of CSL-JSON, "lang": "en-US" or null,
--    "units": [{"id": "...", "nocite": [key, ...] or null, "bibliography": bool,
--               "paras": [[element, ...], ...]}]}
-- element: {"t": "text", "s": "..."}
--        | {"t": "cite", "id": "c1", "items": [{"key", "mode", "prefix", "suffix"}]}
--        | {"t": "note", "id": "n1", "content": [element, ...]}
-- Each unit is processed by citeproc on its own (note positions restart per unit) and comes
-- back as a Div with the unit's id; each citation is a Span with the citation's id.

local function citation(item)
  local c = pandoc.Citation(item.key, item.mode or "NormalCitation")
  if item.prefix and item.prefix ~= "" then
    c.prefix = { pandoc.Str(item.prefix) }
  end
  if item.suffix and item.suffix ~= "" then
    c.suffix = { pandoc.Str(item.suffix) }
  end
  return c
end

local function inlines(elements)
  local out = {}
  for _, el in ipairs(elements) do
    if el.t == "text" then
      table.insert(out, pandoc.Str(el.s))
    elseif el.t == "cite" then
      local cites = {}
      for _, item in ipairs(el.items) do
        table.insert(cites, citation(item))
      end
      table.insert(out, pandoc.Span({ pandoc.Cite({}, cites) }, { id = el.id }))
    elseif el.t == "note" then
      table.insert(out, pandoc.Span({ pandoc.Note({ pandoc.Para(inlines(el.content)) }) }, { id = el.id }))
    end
  end
  return out
end

function Reader(input, opts)
  local request = pandoc.json.decode(tostring(input), false)
  local results = {}
  for _, unit in ipairs(request.units) do
    local meta = { csl = request.csl, bibliography = request.references }
    if request.lang and request.lang ~= pandoc.json.null then
      meta.lang = request.lang
    end
    if unit.nocite and unit.nocite ~= pandoc.json.null then
      local cites = {}
      for _, key in ipairs(unit.nocite) do
        table.insert(cites, pandoc.Citation(key, "NormalCitation"))
      end
      meta.nocite = pandoc.MetaInlines({ pandoc.Cite({}, cites) })
    end
    if not unit.bibliography then
      meta["suppress-bibliography"] = true
    end
    local blocks = {}
    for _, para in ipairs(unit.paras) do
      table.insert(blocks, pandoc.Para(inlines(para)))
    end
    local doc = pandoc.utils.citeproc(pandoc.Pandoc(blocks, pandoc.Meta(meta)))
    table.insert(results, pandoc.Div(doc.blocks, { id = unit.id }))
  end
  return pandoc.Pandoc(results)
end
