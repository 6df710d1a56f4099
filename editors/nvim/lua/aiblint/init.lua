-- aiblint for Neovim: starts `aiblint lsp` for the files of LiteLLM gateway config sets
-- (providers.yaml, model-mappings.yaml, litellm*.yaml, ports.yaml) and adds :AiblintMigrate.
-- Diagnostics, quick fixes, hover, navigation, completion and rename are the server's.
--
-- Works on Neovim 0.7.2 (Debian 12's), which has no vim.lsp.start, and on later versions,
-- which have it and reuse one client per root directory themselves.

local M = {}

local defaults = {
  -- The server command; the first word is looked up on PATH unless it is a path.
  cmd = { "aiblint", "lsp" },
  -- File name patterns (autocmd patterns) of a config set's files.
  patterns = {
    "providers.yaml",
    "providers.yml",
    "model-mappings.yaml",
    "model-mappings.yml",
    "litellm*.yaml",
    "litellm*.yml",
    "ports.yaml",
    "ports.yml",
  },
  -- The root directory is the nearest directory above a file that holds one of these
  -- (else the file's own directory, its config set).
  root_markers = { "aiblint.toml", ".git" },
  -- Passed on to the client, as in vim.lsp.start.
  on_attach = nil,
  capabilities = nil,
}

local options = vim.deepcopy(defaults)
-- Neovim 0.7: the client started for each root directory.
local clients_by_root = {}
local warned_missing = false

local uv = vim.loop

local function root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  local current = dir
  while true do
    for _, marker in ipairs(options.root_markers) do
      if uv.fs_stat(current .. "/" .. marker) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ":h")
    if parent == current then
      return dir
    end
    current = parent
  end
end

local function binary_missing()
  local binary = options.cmd[1]
  if vim.fn.executable(binary) == 1 then
    return false
  end
  if not warned_missing then
    warned_missing = true
    vim.notify(
      string.format(
        "aiblint: `%s` is not an executable on PATH; install aiblint or pass its path: "
          .. "require('aiblint').setup({ cmd = { '/path/to/aiblint', 'lsp' } })",
        binary
      ),
      vim.log.levels.ERROR
    )
  end
  return true
end

local function client_config(root)
  return {
    name = "aiblint",
    cmd = options.cmd,
    root_dir = root,
    on_attach = options.on_attach,
    capabilities = options.capabilities,
  }
end

--- Attaches aiblint to buffer `bufnr` (a config set file).
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or vim.bo[bufnr].buftype ~= "" or binary_missing() then
    return
  end
  local root = root_dir(path)
  if vim.lsp.start then
    vim.lsp.start(client_config(root), { bufnr = bufnr })
    return
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(client_config(root))
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

local function aiblint_client(bufnr)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = "aiblint" })
    or vim.tbl_filter(function(c)
      return c.name == "aiblint"
    end, vim.lsp.buf_get_clients(bufnr))
  return clients[1]
end

--- Applies the server's "Migrate config set to schema 2.0.0" to the set of buffer `bufnr`:
--- one edit over every file of the set (files not open are loaded into buffers; review,
--- then :wa). Calls `done(title_or_nil)` when finished.
function M.migrate(bufnr, done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  done = done or function() end
  local client = aiblint_client(bufnr)
  if not client then
    vim.notify("aiblint: the language server is not running for this buffer", vim.log.levels.WARN)
    return done(nil)
  end
  local origin = { line = 0, character = 0 }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = origin, ["end"] = origin },
    context = { diagnostics = {}, only = { "source.migrate.aiblint" } },
  }
  vim.lsp.buf_request_all(bufnr, "textDocument/codeAction", params, function(results)
    local reply = results[client.id] or {}
    for _, action in ipairs(reply.result or {}) do
      if action.kind == "source.migrate.aiblint" and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
        vim.notify("aiblint: " .. action.title .. ": done; review and save the changed buffers (:wa)")
        return done(action.title)
      end
    end
    local err = reply.error or reply.err
    if err then
      vim.notify("aiblint: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    else
      vim.notify("aiblint: nothing to migrate: this config set is at schema 2.0.0 (or a file does not parse)")
    end
    done(nil)
  end)
end

--- Sets aiblint up: attaches it to config set files as they are opened.
function M.setup(opts)
  options = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup("aiblint", { clear = true })
  vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
    group = group,
    pattern = options.patterns,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  vim.api.nvim_create_user_command("AiblintMigrate", function()
    M.migrate(0)
  end, { desc = "aiblint: Migrate config set to schema 2.0.0" })
  -- Buffers opened before setup.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ":t")
      for _, pattern in ipairs(options.patterns) do
        if name ~= "" and vim.fn.match(name, vim.fn.glob2regpat(pattern)) >= 0 then
          M.attach(buf)
          break
        end
      end
    end
  end
end

return M
