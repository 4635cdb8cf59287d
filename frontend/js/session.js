// Signing in and out: the login form, the top bar's viewer, and a session that expires.

import { LOGIN, LOGOUT, Unauthenticated, VIEWER, gql } from "./api.js";
import { toast } from "./ui.js";

const $ = (id) => document.getElementById(id);

/**
 * @param {object} handlers
 * @param {(viewer: object) => Promise<void>} handlers.onSignIn show this viewer's boards
 * @param {() => void} handlers.onSignOut forget everything shown
 */
export function createSession({ onSignIn, onSignOut }) {
  let viewer = null;

  function showLogin(message) {
    viewer = null;
    onSignOut();
    $("board-view").hidden = true;
    $("session").hidden = true;
    $("login-view").hidden = false;
    const error = $("login-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("login-username").focus();
  }

  async function signedIn(who) {
    viewer = who;
    // Name, role and unit once each: the server leaves out a part another already says.
    const header = who.header || { name: who.name, roleLabel: who.roleLabel, unitName: who.unit.name };
    for (const [id, text] of [["who-name", header.name], ["who-role", header.roleLabel], ["who-unit", header.unitName]]) {
      $(id).textContent = text || "";
      $(id).hidden = !text;
    }
    $("who").title = [header.name, header.roleLabel, header.unitName].filter(Boolean).join(" · ");
    $("session").hidden = false;
    $("login-view").hidden = true;
    $("board-view").hidden = false;
    await onSignIn(who);
  }

  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    const error = $("login-error");
    if (!username || !password) {
      error.textContent = "请输入用户名和密码";
      error.hidden = false;
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = "正在登录…";
    try {
      const data = await gql(LOGIN, { input: { username, password } });
      const result = data.login;
      if (result.__typename !== "LoginSuccess") {
        error.textContent = result.message || "用户名或密码错误";
        error.hidden = false;
        $("login-password").select();
        return;
      }
      error.hidden = true;
      form.reset();
      await signedIn(result.viewer);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
      button.textContent = "登录";
    }
  });

  $("logout").addEventListener("click", async () => {
    onSignOut();
    try {
      await gql(LOGOUT);
    } catch {
      /* the session is gone either way */
    }
    showLogin();
  });

  return {
    get viewer() {
      return viewer;
    },
    /** The page opened: signed in already (the cookie), or the login form. */
    async boot() {
      try {
        const data = await gql(VIEWER);
        if (data.viewer) await signedIn(data.viewer);
        else showLogin();
      } catch (error) {
        showLogin();
        if (!(error instanceof Unauthenticated)) toast(error.message, "error");
      }
    },
    expired() {
      showLogin("登录已失效，请重新登录");
    },
    /** The live connection was refused: ask whether the session is still there. */
    async check() {
      try {
        const data = await gql(VIEWER);
        if (!data.viewer) this.expired();
      } catch (error) {
        if (error instanceof Unauthenticated) this.expired();
      }
    },
  };
}
