# Shared by the bin/ scripts (source it): one install policy for the Debian packages they need.
#
# ensure_packages PACKAGE... : installs the packages that are not installed yet with apt-get when this
# is a Debian/Ubuntu machine and we are root; otherwise prints which packages are missing and how to
# install them, and returns 1 (the caller decides whether that is fatal or a visible skip).
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  install_packages "${missing[@]}"
}

# ensure_tools COMMAND[=PACKAGE,PACKAGE...]... : the same for commands: every COMMAND not on the PATH
# has its packages installed (the package named like the command unless given after =).
ensure_tools() {
  local missing=() tool command
  local -a packages
  for tool in "$@"; do
    command="${tool%%=*}"
    command -v "$command" >/dev/null 2>&1 && continue
    if [[ "$tool" == *=* ]]; then
      IFS=',' read -r -a packages <<<"${tool#*=}"
      missing+=("${packages[@]}")
    else
      missing+=("$command")
    fi
  done
  install_packages "${missing[@]}"
}

# install_packages PACKAGE... : the one install policy: apt-get as root on Debian/Ubuntu, otherwise a
# message naming the packages and the command, and status 1.
install_packages() {
  (( $# )) || return 0
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $* (apt-get) ..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    return
  fi
  echo "Missing Debian packages: $*. Install them as root: apt-get install $*" >&2
  return 1
}

# ensure_onnx_proto : ONNX's onnx.proto, from which the build generates model-import's ONNX parser
# (model-import/pom.xml reads /usr/include/onnx/onnx.proto, or -Donnx.proto.dir=DIR).
ensure_onnx_proto() {
  [[ -f /usr/include/onnx/onnx.proto ]] || ensure_packages libonnx-dev
}
