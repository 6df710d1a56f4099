-- The Neovim plugin against the real `aiblint lsp`, in headless Neovim:
--   nvim --headless --clean -u NONE --cmd "set rtp^=editors/nvim" -c "luafile editors/nvim/test/run.lua"
-- The binary is $AIBLINT_BIN (else `aiblint` on PATH). Prints one line per case and a last
-- line "N passed, N failed"; exits non-zero when a case fails.

local repository = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h:h:h:h")
local binary = os.getenv("AIBLINT_BIN") or "aiblint"
local TIMEOUT = 20000

local PROVIDERS = [[
metadata:
  schema_version: "2.0.0"
providers:
  ollama:
    type: ollama
    base_url: http://127.0.0.1:11434
    status: active
    description: Local Ollama — café
    models:
      - llama3.1:8b
  vllm-qwen:
    type: vllm
    base_url: http://127.0.0.1:8001
    status: active
    description: vLLM serving Qwen
    models:
      - Qwen/Qwen2.5-Coder-14B-Instruct-AWQ
]]

-- Line 5 has ☕ and 🦙 before the unknown provider `vllm-qwn`.
local MAPPINGS = [[
metadata:
  schema_version: "2.0.0"
exact_matches:
  "llama3.1:8b": {description: "général", provider: ollama}
  "qwen-coder": {description: "café ☕ 🦙", provider: vllm-qwn, backend_model: Qwen/Qwen2.5-Coder-14B-Instruct-AWQ}
]]

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. "\n")
end

local function case(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out("ok - " .. name)
  else
    failed = failed + 1
    out("FAIL - " .. name .. "\n" .. tostring(err))
  end
  vim.cmd("silent! %bwipeout!")
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local function set_dir(name, files)
  local dir = vim.fn.tempname() .. "/" .. name
  vim.fn.mkdir(dir, "p")
  for file, text in pairs(files) do
    write(dir .. "/" .. file, text)
  end
  return dir
end

-- The 1.x set of the repository's fixtures: file name → text.
local function legacy_files()
  local legacy = repository .. "/fixtures/sets/legacy-homelab/"
  return {
    ["providers.yaml"] = read(legacy .. "providers.yaml"),
    ["model-mappings.yaml"] = read(legacy .. "model-mappings.yaml"),
  }
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 20) then
    error("timed out waiting for " .. what, 2)
  end
end

local function diagnostic(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == code then
      return d
    end
  end
end

-- Picks the code action titled `title` when Neovim asks the user to choose.
local function choose(title)
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do
      local action = item.action or item[2]
      if action and action.title == title then
        return on_choice(item, i)
      end
    end
    error("no code action titled " .. title .. " in " .. vim.inspect(items))
  end
end

-- What the plugin tells the user, kept for the cases to read (and off the test's output).
local notes = {}
vim.notify = function(message)
  table.insert(notes, message)
end

require("aiblint").setup({ cmd = { binary, "lsp" } })

case("diagnostics appear at the right position, in a directory with a non-ASCII name", function()
  local dir = set_dir("modèles ☕", { ["providers.yaml"] = PROVIDERS, ["model-mappings.yaml"] = MAPPINGS })
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/model-mappings.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for("R201", function()
    return diagnostic(bufnr, "R201") ~= nil
  end)
  local d = diagnostic(bufnr, "R201")
  local line = vim.api.nvim_buf_get_lines(bufnr, 4, 5, false)[1]
  local col = line:find("vllm-qwn", 1, true) - 1
  assert(d.lnum == 4 and d.col == col, string.format("at %d:%d, expected 4:%d", d.lnum, d.col, col))
  assert(d.end_col == col + #"vllm-qwn", "ends at " .. d.end_col)
  assert(d.message:find("did you mean `vllm-qwen`?", 1, true), d.message)
end)

case("the quick fix applies (vim.lsp.buf.code_action)", function()
  local dir = set_dir("quick-fix", { ["providers.yaml"] = PROVIDERS, ["model-mappings.yaml"] = MAPPINGS })
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/model-mappings.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for("R201", function()
    return diagnostic(bufnr, "R201") ~= nil
  end)
  local d = diagnostic(bufnr, "R201")
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  choose("Replace `vllm-qwn` with `vllm-qwen`")
  vim.lsp.buf.code_action()
  wait_for("the fix", function()
    return buffer_text(bufnr):find("provider: vllm-qwen,", 1, true) ~= nil
  end)
  assert(buffer_text(bufnr) == MAPPINGS:gsub("vllm%-qwn", "vllm-qwen"), buffer_text(bufnr))
  wait_for("R201 to go", function()
    return diagnostic(bufnr, "R201") == nil
  end)
end)

case("a 1.x set: V505 once, and :AiblintMigrate edits both files as aiblint migrate does", function()
  local files = legacy_files()
  local dir = set_dir("réglages legacy", files)
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/model-mappings.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for("V505", function()
    return diagnostic(bufnr, "V505") ~= nil
  end)
  local v505 = 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == "V505" then
      v505 = v505 + 1
      assert(d.severity == vim.diagnostic.severity.INFO, "severity " .. d.severity)
    end
  end
  assert(v505 == 1, v505 .. " V505 diagnostics")

  local title
  require("aiblint").migrate(bufnr, function(t)
    title = t or false
  end)
  wait_for("the migration", function()
    return title ~= nil
  end)
  assert(title == "Migrate config set to schema 2.0.0", tostring(title))
  assert(notes[#notes]:find("review and save", 1, true), notes[#notes])
  local providers = vim.fn.bufnr(dir .. "/providers.yaml")
  assert(providers ~= -1, "providers.yaml was not loaded by the edit")

  local copy = set_dir("cli", files)
  local output = vim.fn.system({ binary, "migrate", "--no-backup", copy })
  assert(vim.v.shell_error == 0, output)
  assert(buffer_text(bufnr) == read(copy .. "/model-mappings.yaml"), buffer_text(bufnr))
  assert(buffer_text(providers) == read(copy .. "/providers.yaml"), buffer_text(providers))
end)

case("the V505 quick fix is the migration", function()
  local dir = set_dir("legacy quick fix", legacy_files())
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/providers.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  wait_for("V505", function()
    return diagnostic(bufnr, "V505") ~= nil
  end)
  local d = diagnostic(bufnr, "V505")
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  choose("Migrate config set to schema 2.0.0")
  vim.lsp.buf.code_action()
  wait_for("the migration", function()
    return buffer_text(bufnr):find('schema_version: "2.0.0"', 1, true) ~= nil
  end)
  local mappings = vim.fn.bufnr(dir .. "/model-mappings.yaml")
  assert(mappings ~= -1 and buffer_text(mappings):find('schema_version: "2.0.0"', 1, true), "mappings not migrated")
end)

case("a file that is not a config set file gets no client", function()
  local dir = set_dir("other", { ["notes.yaml"] = "a: 1\n" })
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/notes.yaml"))
  local attached = vim.lsp.buf_get_clients(0)
  assert(vim.tbl_isempty(attached), vim.inspect(attached))
end)

out(string.format("%d passed, %d failed", passed, failed))
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.wait(2000, function()
  return vim.tbl_isempty(vim.lsp.get_active_clients())
end, 20)
vim.cmd(failed == 0 and "qall!" or "cquit! 1")
