-- A pandoc custom reader: renders a whole book's citations with pandoc's citeproc in one run.
--
-- Input (JSON, written by book/citations/engine.py):
--   {"csl": path, "references": path of CSL-JSON, "lang": "de-DE" or null,
--    "terms": path of the style that prints the locale's locator terms,
--    "units": [{"id": "...", "csl": path or absent (the book's style), "nocite": [key, ...] or null,
--               "bibliography": bool, "paras": [[element, ...], ...]}]}
-- element: {"t": "text", "s": "..."}
--        | {"t": "cite", "id": "c1", "items": [{"key", "mode", "prefix", "suffix", "label", "locator"}]}
--        | {"t": "note", "id": "n1", "content": [element, ...]}
-- Each unit is processed by citeproc on its own (note positions restart per unit) and comes
-- back as a Div with the unit's id; each citation is a Span with the citation's id.
--
-- Locators: citeproc reads a locator from the start of a citation's suffix, and knows its label
-- only in the words of the book's locale ("S. 27" in German, "p. 27" in English). The item
-- gives the locator's CSL type ("page") and value ("27"); the label is the locale's own short
-- term for that type, which citeproc itself prints from the probe style "terms" (one run).

local function present(value)
  return value ~= nil and value ~= pandoc.json.null and value ~= ""
end

-- The locale's short term for each locator type: {page = "S.", chapter = "Kap.", ...}.
local function locator_terms(request)
  local terms = {}
  if not present(request.terms) then
    return terms
  end
  local meta = {
    csl = request.terms,
    references = { { id = "probe", type = "book", title = "probe" } },
  }
  if present(request.lang) then
    meta.lang = request.lang
  end
  local probe = pandoc.Pandoc(
    { pandoc.Para({ pandoc.Cite({}, { pandoc.Citation("probe", "NormalCitation") }) }) },
    pandoc.Meta(meta)
  )
  local printed = pandoc.utils.stringify(pandoc.utils.citeproc(probe).blocks)
  for kind, term in printed:gmatch("([%a-]+)=([^|]*)|") do
    if term ~= "" then
      terms[kind] = term
    end
  end
  return terms
end

local TERMS = {}

local function suffix_of(item)
  local suffix = ""
  if present(item.locator) then
    local term = TERMS[present(item.label) and item.label or "page"]
    if term then
      suffix = ", " .. term .. " " .. item.locator
    else
      suffix = ", " .. item.locator -- citeproc takes a number alone for a page
    end
  end
  if present(item.suffix) then
    suffix = suffix .. item.suffix
  end
  return suffix
end

local function citation(item)
  local c = pandoc.Citation(item.key, item.mode or "NormalCitation")
  if present(item.prefix) then
    c.prefix = { pandoc.Str(item.prefix) }
  end
  local suffix = suffix_of(item)
  if suffix ~= "" then
    c.suffix = { pandoc.Str(suffix) }
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
  TERMS = locator_terms(request)
  local results = {}
  for _, unit in ipairs(request.units) do
    local meta = { csl = request.csl, bibliography = request.references }
    if present(unit.csl) then
      meta.csl = unit.csl
    end
    if present(request.lang) then
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
