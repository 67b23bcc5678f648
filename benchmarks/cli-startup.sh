#!/usr/bin/env bash
# kms-import (Native AOT) against the console guide's openssl chain, side by side, one run:
#   1. wrap an RSA-4096 private key: `kms-import wrap --private-key` vs the guide's six processes
#      (openssl rand -hex, xxd -r -ps, openssl pkeyutl -encrypt, openssl pkcs8 -topk8 twice,
#      openssl enc -id-aes256-wrap-pad), same key, same wrapping key;
#   2. `kms-import --version`.
# Goals (issue 12): wrap <= 0.5x the chain; --version < 15 ms.
#
#   benchmarks/cli-startup.sh [path/to/native/kms-import]
#
# Without an argument it publishes the AOT build first (minutes on 2 cores). Uses hyperfine when
# installed (apt-get install hyperfine), otherwise a bash loop of RUNS runs (median reported).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-30}
exe=${1:-}
if [ -z "$exe" ]; then
  dotnet publish src/KmsImport.Cli -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot/linux-x64 >/dev/null
  exe=artifacts/aot/linux-x64/kms-import
fi
exe=$(realpath "$exe")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# Inputs, outside the timing: the wrapping key pair (RSA-4096, as KMS issues) and the private key to import.
openssl genrsa -out wrapping_private.pem 4096 2>/dev/null
openssl rsa -in wrapping_private.pem -pubout -outform DER -out PublicKey.bin 2>/dev/null
openssl genrsa -out pkcs1_rsa_private_key.pem 4096 2>/dev/null

cat > chain.sh <<'CHAIN'
#!/usr/bin/env bash
set -e
openssl rand -out 0xPlaintextKeyMaterial.bin -hex 32
cat 0xPlaintextKeyMaterial.bin | xxd -r -ps > PlaintextKeyMaterial.bin
openssl pkeyutl -in PlaintextKeyMaterial.bin -inkey PublicKey.bin -out EncryptedKeyMaterial.bin -keyform der -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
openssl pkcs8 -topk8 -inform PEM -in pkcs1_rsa_private_key.pem -outform pem -nocrypt -out rsa_private_key.pem
openssl pkcs8 -topk8 -inform PEM -outform DER -in rsa_private_key.pem -out rsa_private_key.der -nocrypt
openssl enc -id-aes256-wrap-pad -K $(cat 0xPlaintextKeyMaterial.bin) -iv A65959A6 -in rsa_private_key.der -out out_rsa_private_key.der
CHAIN
chmod +x chain.sh
wrap="$exe wrap --wrapping-key PublicKey.bin --private-key pkcs1_rsa_private_key.pem --out kms_EncryptedKeyMaterial.bin --out-private-key kms_out_rsa_private_key.der"

# Both produce what the service takes; check once before timing.
./chain.sh
$wrap >/dev/null
[ -s out_rsa_private_key.der ] && [ -s kms_out_rsa_private_key.der ] || { echo "a wrap produced nothing"; exit 1; }

echo "kms-import: $("$exe" --version) ($exe)"
echo "openssl: $(openssl version)"
echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs "$runs" --export-markdown wrap.md \
    -n "openssl chain (6 processes)" "bash ./chain.sh" \
    -n "kms-import wrap (Native AOT)" "$wrap"
  hyperfine -N --warmup 5 --runs "$runs" --export-markdown version.md -n "kms-import --version (Native AOT)" "$exe --version"
  cat wrap.md version.md
else
  median_ms() {
    local times=() i start end
    for i in $(seq 1 "$runs"); do
      start=$(date +%s%N); eval "$1" >/dev/null 2>&1; end=$(date +%s%N)
      times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
  }
  for i in 1 2 3; do ./chain.sh; $wrap >/dev/null; "$exe" --version >/dev/null; done
  chain=$(median_ms "bash ./chain.sh"); kms=$(median_ms "$wrap"); version=$(median_ms "$exe --version")
  echo "| Command | Median (ms, $runs runs) |"
  echo "|---|---:|"
  echo "| openssl chain (6 processes) | $chain |"
  echo "| kms-import wrap (Native AOT) | $kms |"
  echo "| kms-import --version (Native AOT) | $version |"
  awk -v k="$kms" -v c="$chain" 'BEGIN {printf "wrap / chain = %.2f (goal <= 0.50)\n", k / c}'
fi
