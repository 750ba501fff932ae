// The handful of CUDA types and function signatures swift-lightning calls, declared here because no
// CUDA header exists at build time: every library is opened with dlopen at run time
// (LightningCUDA/CUDALibraryLoader.swift) and each function below is resolved with dlsym into a
// pointer of the matching type. Nothing here links against CUDA.
//
// Each declaration copies the ABI of the public headers of CUDA 12 and 13 (both keep it):
// cuda.h (the driver API), nvrtc.h, cublas_api.h (the v2 API) and nccl.h. Where a header maps a
// name to a versioned symbol (cuMemAlloc → cuMemAlloc_v2), the comment names the symbol resolved.
#ifndef CCUDA_SHIM_H
#define CCUDA_SHIM_H

#include <stddef.h>

// MARK: - Driver API (cuda.h)

/// CUresult: enum cudaError_enum; CUDA_SUCCESS is 0.
typedef int CUresult;
/// CUdevice: an ordinal's handle (typedef int CUdevice_v1).
typedef int CUdevice;
/// CUdeviceptr: a device address (CUdeviceptr_v2, unsigned long long on 64-bit hosts).
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;

/// cuInit(unsigned int Flags)
typedef CUresult (*ccuda_cuInit)(unsigned int flags);
/// cuDriverGetVersion(int *driverVersion): 1000 × major + 10 × minor.
typedef CUresult (*ccuda_cuDriverGetVersion)(int *version);
/// cuDeviceGetCount(int *count): the devices CUDA_VISIBLE_DEVICES leaves visible.
typedef CUresult (*ccuda_cuDeviceGetCount)(int *count);
/// cuDeviceGet(CUdevice *device, int ordinal)
typedef CUresult (*ccuda_cuDeviceGet)(CUdevice *device, int ordinal);
/// cuDeviceGetName(char *name, int len, CUdevice dev)
typedef CUresult (*ccuda_cuDeviceGetName)(char *name, int len, CUdevice dev);
/// cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev); the attributes used are
/// CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR (75) and _MINOR (76).
typedef CUresult (*ccuda_cuDeviceGetAttribute)(int *value, int attribute, CUdevice dev);
/// cuDeviceTotalMem → symbol cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)
typedef CUresult (*ccuda_cuDeviceTotalMem)(size_t *bytes, CUdevice dev);
/// cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
typedef CUresult (*ccuda_cuDevicePrimaryCtxRetain)(CUcontext *context, CUdevice dev);
/// cuCtxSetCurrent(CUcontext ctx)
typedef CUresult (*ccuda_cuCtxSetCurrent)(CUcontext context);
/// cuCtxSynchronize(void)
typedef CUresult (*ccuda_cuCtxSynchronize)(void);
/// cuMemAlloc → symbol cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)
typedef CUresult (*ccuda_cuMemAlloc)(CUdeviceptr *pointer, size_t byteCount);
/// cuMemFree → symbol cuMemFree_v2(CUdeviceptr dptr)
typedef CUresult (*ccuda_cuMemFree)(CUdeviceptr pointer);
/// cuMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags): page-locked host memory.
typedef CUresult (*ccuda_cuMemHostAlloc)(void **pointer, size_t byteCount, unsigned int flags);
/// cuMemFreeHost(void *p)
typedef CUresult (*ccuda_cuMemFreeHost)(void *pointer);
/// cuMemcpyHtoD → symbol cuMemcpyHtoD_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
typedef CUresult (*ccuda_cuMemcpyHtoD)(CUdeviceptr destination, const void *source, size_t byteCount);
/// cuMemcpyDtoH → symbol cuMemcpyDtoH_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
typedef CUresult (*ccuda_cuMemcpyDtoH)(void *destination, CUdeviceptr source, size_t byteCount);
/// cuMemcpyDtoD → symbol cuMemcpyDtoD_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount)
typedef CUresult (*ccuda_cuMemcpyDtoD)(CUdeviceptr destination, CUdeviceptr source, size_t byteCount);
/// cuMemcpyHtoDAsync → symbol cuMemcpyHtoDAsync_v2(CUdeviceptr, const void *, size_t, CUstream)
typedef CUresult (*ccuda_cuMemcpyHtoDAsync)(CUdeviceptr destination, const void *source, size_t byteCount, CUstream stream);
/// cuMemsetD8 → symbol cuMemsetD8_v2(CUdeviceptr dstDevice, unsigned char uc, size_t N)
typedef CUresult (*ccuda_cuMemsetD8)(CUdeviceptr destination, unsigned char value, size_t count);
/// cuModuleLoadData(CUmodule *module, const void *image): image is NUL-terminated PTX here.
typedef CUresult (*ccuda_cuModuleLoadData)(CUmodule *module, const void *image);
/// cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
typedef CUresult (*ccuda_cuModuleGetFunction)(CUfunction *function, CUmodule module, const char *name);
/// cuLaunchKernel(CUfunction f, gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ,
/// unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
typedef CUresult (*ccuda_cuLaunchKernel)(CUfunction function,
                                         unsigned int gridX, unsigned int gridY, unsigned int gridZ,
                                         unsigned int blockX, unsigned int blockY, unsigned int blockZ,
                                         unsigned int sharedBytes, CUstream stream, void **parameters, void **extra);
/// cuStreamCreate(CUstream *phStream, unsigned int Flags)
typedef CUresult (*ccuda_cuStreamCreate)(CUstream *stream, unsigned int flags);
/// cuStreamSynchronize(CUstream hStream)
typedef CUresult (*ccuda_cuStreamSynchronize)(CUstream stream);
/// cuGetErrorName(CUresult error, const char **pStr): "CUDA_ERROR_OUT_OF_MEMORY".
typedef CUresult (*ccuda_cuGetErrorName)(CUresult error, const char **name);
/// cuGetErrorString(CUresult error, const char **pStr): "out of memory".
typedef CUresult (*ccuda_cuGetErrorString)(CUresult error, const char **text);

// MARK: - NVRTC (nvrtc.h)

/// nvrtcResult; NVRTC_SUCCESS is 0.
typedef int nvrtcResult;
typedef struct _nvrtcProgram *nvrtcProgram;

/// nvrtcVersion(int *major, int *minor)
typedef nvrtcResult (*ccuda_nvrtcVersion)(int *major, int *minor);
/// nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders,
/// const char * const *headers, const char * const *includeNames)
typedef nvrtcResult (*ccuda_nvrtcCreateProgram)(nvrtcProgram *program, const char *source, const char *name, int headerCount,
                                                const char *const *headers, const char *const *includeNames);
/// nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char * const *options)
typedef nvrtcResult (*ccuda_nvrtcCompileProgram)(nvrtcProgram program, int optionCount, const char *const *options);
/// nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)
typedef nvrtcResult (*ccuda_nvrtcGetProgramLogSize)(nvrtcProgram program, size_t *size);
/// nvrtcGetProgramLog(nvrtcProgram prog, char *log)
typedef nvrtcResult (*ccuda_nvrtcGetProgramLog)(nvrtcProgram program, char *log);
/// nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet): the size includes the final NUL.
typedef nvrtcResult (*ccuda_nvrtcGetPTXSize)(nvrtcProgram program, size_t *size);
/// nvrtcGetPTX(nvrtcProgram prog, char *ptx)
typedef nvrtcResult (*ccuda_nvrtcGetPTX)(nvrtcProgram program, char *ptx);
/// nvrtcDestroyProgram(nvrtcProgram *prog)
typedef nvrtcResult (*ccuda_nvrtcDestroyProgram)(nvrtcProgram *program);
/// nvrtcGetErrorString(nvrtcResult result)
typedef const char *(*ccuda_nvrtcGetErrorString)(nvrtcResult result);

// MARK: - cuBLAS (cublas_api.h, the v2 API)

/// cublasStatus_t; CUBLAS_STATUS_SUCCESS is 0.
typedef int cublasStatus_t;
typedef struct cublasContext *cublasHandle_t;

/// cublasCreate → symbol cublasCreate_v2(cublasHandle_t *handle)
typedef cublasStatus_t (*ccuda_cublasCreate)(cublasHandle_t *handle);
/// cublasDestroy → symbol cublasDestroy_v2(cublasHandle_t handle)
typedef cublasStatus_t (*ccuda_cublasDestroy)(cublasHandle_t handle);
/// cublasGetProperty(libraryPropertyType type, int *value): MAJOR_VERSION (0), MINOR_VERSION (1),
/// PATCH_LEVEL (2); needs no handle, so no GPU.
typedef cublasStatus_t (*ccuda_cublasGetProperty)(int type, int *value);
/// cublasSetStream → symbol cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId);
/// cudaStream_t is the driver's CUstream.
typedef cublasStatus_t (*ccuda_cublasSetStream)(cublasHandle_t handle, CUstream stream);
/// cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode): CUBLAS_DEFAULT_MATH (0) keeps
/// float32 products in float32 (TF32 off), CUBLAS_TF32_TENSOR_OP_MATH (3) allows TF32.
typedef cublasStatus_t (*ccuda_cublasSetMathMode)(cublasHandle_t handle, int mode);
/// cublasSgemm → symbol cublasSgemm_v2(handle, cublasOperation_t transa, transb, int m, n, k,
/// const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta,
/// float *C, int ldc); column-major; CUBLAS_OP_N is 0, CUBLAS_OP_T is 1.
typedef cublasStatus_t (*ccuda_cublasSgemm)(cublasHandle_t handle, int transA, int transB, int m, int n, int k,
                                            const float *alpha, const float *a, int lda, const float *b, int ldb,
                                            const float *beta, float *c, int ldc);

// MARK: - NCCL (nccl.h)

/// ncclResult_t; ncclSuccess is 0.
typedef int ncclResult_t;
typedef struct ncclComm *ncclComm_t;
/// NCCL_UNIQUE_ID_BYTES
#define CCUDA_NCCL_UNIQUE_ID_BYTES 128
/// ncclUniqueId: passed by value to ncclCommInitRank, hence a C struct.
typedef struct { char internal[CCUDA_NCCL_UNIQUE_ID_BYTES]; } ncclUniqueId;

/// ncclGetVersion(int *version): 10000 × major + 100 × minor + patch (NCCL ≥ 2.9).
typedef ncclResult_t (*ccuda_ncclGetVersion)(int *version);
/// ncclGetUniqueId(ncclUniqueId *uniqueId)
typedef ncclResult_t (*ccuda_ncclGetUniqueId)(ncclUniqueId *uniqueId);
/// ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank)
typedef ncclResult_t (*ccuda_ncclCommInitRank)(ncclComm_t *comm, int rankCount, ncclUniqueId id, int rank);
/// ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype,
/// ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream); ncclFloat32 is 7, ncclSum 0, ncclAvg 4.
typedef ncclResult_t (*ccuda_ncclAllReduce)(const void *send, void *receive, size_t count, int dataType, int op,
                                            ncclComm_t comm, CUstream stream);
/// ncclCommDestroy(ncclComm_t comm)
typedef ncclResult_t (*ccuda_ncclCommDestroy)(ncclComm_t comm);
/// ncclGetErrorString(ncclResult_t result)
typedef const char *(*ccuda_ncclGetErrorString)(ncclResult_t result);

#endif
