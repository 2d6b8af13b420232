import { createRequire } from 'node:module';

// fengari: Lua 5.3 in JavaScript. Argo CD runs gopher-lua (5.1); the scripts use only what both have.
const require = createRequire(import.meta.url);
const { lua, lauxlib, lualib, to_luastring: s, to_jsstring } = require('fengari') as {
  lua: Record<string, any>; lauxlib: Record<string, any>; lualib: Record<string, any>;
  to_luastring: (x: string) => Uint8Array; to_jsstring: (x: Uint8Array) => string;
};

/** Pushes a JSON value as Lua does it in Argo CD: objects and arrays become tables (arrays 1-based). */
function push(L: unknown, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'string') lua.lua_pushstring(L, s(value));
  else if (typeof value === 'number') lua.lua_pushnumber(L, value);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((v, i) => { push(L, v); lua.lua_rawseti(L, -2, i + 1); });
  } else {
    lua.lua_newtable(L);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) { push(L, v); lua.lua_setfield(L, -2, s(k)); }
  }
}

/** Runs an Argo CD health script against an object; returns what it says, as Argo CD reads it. */
export function runHealth(script: string, obj: unknown): { status: string; message: string } {
  const L = lauxlib.luaL_newstate();
  // Only the base library (ipairs, pairs): Argo CD opens no string, os or io library for health scripts by default.
  lauxlib.luaL_requiref(L, s('_G'), lualib.luaopen_base, 1);
  lua.lua_pop(L, 1);
  push(L, obj);
  lua.lua_setglobal(L, s('obj'));
  if (lauxlib.luaL_loadstring(L, s(script)) !== lua.LUA_OK || lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`lua: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  }
  const field = (name: string) => {
    lua.lua_getfield(L, -1, s(name));
    const v = lua.lua_isnil(L, -1) ? '' : to_jsstring(lua.lua_tostring(L, -1));
    lua.lua_pop(L, 1);
    return v;
  };
  return { status: field('status'), message: field('message') };
}
