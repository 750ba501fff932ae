#!/usr/bin/env bash
# Issue 19's GPU proof, in two halves.
#
#   scripts/gpu-proof.sh build   # here (Swift, no GPU): a self-contained release bundle,
#                                # .gpu-proof/bundle.tar.xz (git-ignored; carry it)
#   scripts/gpu-proof.sh run     # on the GPU machine (CUDA driver, Python with PyTorch, no Swift):
#                                # unpacks the bundle and prints `NAME VALUE` lines
#
# The bundle: swift-lightning and swift-lightning-bench built with --static-swift-stdlib (the Swift
# runtime and Foundation inside), the shared libraries they load that a bare machine may lack
# (OpenBLAS, Open MPI with its mpirun and plugins, their dependencies) from Debian packages
# (apt-get download + dpkg -x, or this machine's installed files when the mirror is unreachable),
# ops.json and the PyTorch script. CUDA itself is never packed: the driver is the machine's, and
# NVRTC and cuBLAS are found where PyTorch's pip wheels put them (site-packages/nvidia/...).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.gpu-proof

build() {
    local stage=$out/stage
    rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/root"
    # No unsafeFlags in Package.swift: the static runtime is asked for on the command line.
    for product in swift-lightning swift-lightning-bench; do
        swift build -c release --static-swift-stdlib --product "$product" 2>&1 | grep -E "error|warning: |Compiling|Build complete" | tail -3
    done
    local release
    release=$(swift build -c release --show-bin-path)
    cp "$release/swift-lightning" "$release/swift-lightning-bench" "$stage/bin/"
    cp -R "$release"/*.resources "$stage/bin/" 2>/dev/null || true
    cp Tests/LightningTensorTests/Fixtures/ops.json scripts/gpu_proof_torch.py "$stage/bin/"

    # Debian packages of every non-glibc library the binaries load, and Open MPI's launcher.
    local libraries packages
    libraries=$(ldd "$stage/bin/swift-lightning" "$stage/bin/swift-lightning-bench" | awk '/=> \//{print $3}' | sort -u \
        | grep -vE '/(libc|libm|libdl|librt|libpthread|libresolv|ld-linux[^/]*)\.so' || true)
    packages=$( (for library in $libraries; do dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null; done \
        | cut -d: -f1; echo openmpi-bin; echo openmpi-common; echo libopenmpi3; echo libpmix2) | sort -u)
    echo "packing: $(echo $packages)"
    local debs=$out/debs
    rm -rf "$debs" && mkdir -p "$debs"
    if (cd "$debs" && apt-get download $packages >/dev/null 2>&1); then
        for deb in "$debs"/*.deb; do dpkg -x "$deb" "$stage/root"; done
    else
        echo "apt-get download failed: copying this machine's installed files of those packages"
        for package in $packages; do
            dpkg -L "$package" | while read -r path; do
                if [ -f "$path" ] || [ -L "$path" ]; then mkdir -p "$stage/root$(dirname "$path")" && cp -P "$path" "$stage/root$path"; fi
            done
        done
    fi
    rm -rf "$stage/root/usr/share/doc" "$stage/root/usr/share/man" "$stage/root/usr/share/lintian"
    # Debian names the launcher through its alternatives (/etc/alternatives/mpirun): name it here.
    ln -sf mpirun.openmpi "$stage/root/usr/bin/mpirun"
    # OpenBLAS is registered through Debian's alternatives: give the loader its plain name.
    local blas
    blas=$(find "$stage/root" -name 'libopenblas*.so*' -path '*openblas-pthread*' | head -1)
    [ -n "$blas" ] && ln -sf "${blas#$stage/root}" "$stage/root/usr/lib/x86_64-linux-gnu/libopenblas.so.0" 2>/dev/null \
        && cp -L "$blas" "$stage/root/usr/lib/x86_64-linux-gnu/libopenblas.so.0"
    rm -f "$out/bundle.tar.xz"
    tar -C "$stage" -cf - bin root | xz -T0 -6 > "$out/bundle.tar.xz"
    rm -rf "$stage" "$debs"
    echo "bundle: $out/bundle.tar.xz ($(du -h "$out/bundle.tar.xz" | cut -f1))"
    # The bundle runs: its binaries start with only the packed libraries (no GPU here, so the GPU
    # figures report what is missing).
    run
}

run() {
    local dir=${GPU_PROOF_DIR:-/tmp/gpu-proof}
    rm -rf "$dir" && mkdir -p "$dir"
    xz -dc "$out/bundle.tar.xz" | tar -C "$dir" -xf -
    local usr=$dir/root/usr
    export LD_LIBRARY_PATH=$usr/lib/x86_64-linux-gnu:$usr/lib/x86_64-linux-gnu/openmpi/lib:$dir/root/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export PATH=$dir/bin:$usr/bin:$PATH
    export OPAL_PREFIX=$usr OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} PYTHONUNBUFFERED=1
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    # NVRTC, cuBLAS and NCCL from the Python environment's NVIDIA wheels (PyTorch's), wherever it is.
    local site
    site=$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)
    if [ -n "$site" ]; then
        export SWIFT_LIGHTNING_CUDA_PATH=$(ls -d "$site"/nvidia/*/lib 2>/dev/null | paste -sd:)
    fi
    export SWIFT_LIGHTNING_KERNEL_CACHE=$dir/kernels
    cd "$dir"
    timeout 480 "$dir/bin/swift-lightning-bench" gpu
}

case "${1:-}" in
    build) build ;;
    run) run ;;
    *) echo "usage: $0 build|run" >&2; exit 2 ;;
esac
