# JupyterHub configuration for a class on ONE machine, for trials and the load test (`npm run hub`).
# Every setting comes from the BNLAB_HUB_* environment that scripts/hub/hub.mjs sets; read that file first.
#
# What it is: a real JupyterHub 6 with its real proxy (configurable-http-proxy), a shared password
# (SharedPasswordAuthenticator) and SimpleLocalProcessSpawner, which runs every student's Jupyter server
# as the Unix user who started the hub, with HOME = <class folder>/homes/<student>. That needs no root and
# no system users, and it is NOT a production set-up: students are not isolated from each other (same
# Unix user, so one student's code can read another's files and the teacher's solutions). A production
# hub uses real users or containers: The Littlest JupyterHub / SystemdSpawner (one Unix user per student),
# or DockerSpawner / KubeSpawner (Zero to JupyterHub); see docs/teacher-guide.md.
import asyncio
import json
import os
import sys

env = os.environ
class_dir = env["BNLAB_HUB_DIR"]  # the class folder: database, cookie secret, kernelspec, student homes
kit = env["BNLAB_HUB_KIT"]  # the kit, installed once (built, `npm run student` done); students only read it
node = env["BNLAB_HUB_NODE"]  # absolute path of the Node that runs the kernel and the proxy
venv_bin = os.path.dirname(sys.executable)  # the pinned Jupyter (.venv/ made by `npm run venv`)
ip = env.get("BNLAB_HUB_IP", "127.0.0.1")
students = json.loads(env["BNLAB_HUB_STUDENTS"])

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

# Network: the public proxy on ip:port (loopback unless `npm run hub -- --ip …` asks); the hub, the
# proxy's API and every student's server on 127.0.0.1 only, on free ports.
c.JupyterHub.bind_url = f"http://{ip}:{env.get('BNLAB_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["BNLAB_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['BNLAB_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [node, os.path.join(kit, "node_modules", "configurable-http-proxy", "bin", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.auth_token = env["BNLAB_HUB_PROXY_TOKEN"]
c.Spawner.ip = "127.0.0.1"

# State in the class folder, so a restarted hub finds its users, tokens and cookies again.
c.JupyterHub.db_url = "sqlite:///" + os.path.join(class_dir, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(class_dir, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(class_dir, "jupyterhub.pid")

# Authentication: one shared password for the listed students (the teacher sets BNLAB_HUB_PASSWORD / HUB_PASSWORD).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env["BNLAB_HUB_PASSWORD"]
c.Authenticator.allowed_users = set(students)

# Students' servers: JupyterLab from the pinned venv, HOME in the class folder, the kit's kernel found
# through JUPYTER_PATH (a throw-away prefix here; `sudo npm run kernel:install -- --system` on a real server).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(class_dir, "homes", "{username}")
c.Spawner.cmd = [os.path.join(venv_bin, "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab/tree/batchnorm-lab/notebooks/00-start-here.ipynb"
c.Spawner.environment = {
    "JUPYTER_PATH": os.path.join(class_dir, "share", "jupyter"),
    "PATH": os.pathsep.join([os.path.dirname(node), venv_bin, env.get("PATH", "/usr/bin:/bin")]),
}
if os.geteuid() == 0:
    c.Spawner.args = ["--allow-root"]  # containers and CI often run as root; jupyter_server refuses that without the flag
c.Spawner.start_timeout = 300  # a class logging in at once on 2 cores: JupyterLab servers start slowly
c.Spawner.http_timeout = 300


async def make_user_copy(spawner):
    """First login: the student's own copy of the student notebooks (`npm run user-copy -- DEST --student`)."""
    home = spawner.home_dir
    dest = os.path.join(home, "batchnorm-lab")
    if os.path.isdir(os.path.join(dest, "notebooks")):
        return  # later logins keep the student's work
    os.makedirs(home, exist_ok=True)
    script = os.path.join(kit, "scripts", "classroom", "user-copy.mjs")
    proc = await asyncio.create_subprocess_exec(node, script, dest, "--student", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate()
    spawner.log.info("user-copy for %s: %s", spawner.user.name, out.decode().strip())
    if proc.returncode != 0:
        raise RuntimeError(f"user-copy failed for {spawner.user.name}: {out.decode().strip()}")


c.Spawner.pre_spawn_hook = make_user_copy
